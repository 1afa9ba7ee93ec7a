"""Rendering for WhatsApp: limits, Bengali-safe shortening, and every domain response."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from channels import whatsapp_render as render
from tests.support.domain import domain_files

ROOT = Path(__file__).resolve().parents[2]
BENGALI_WORDS = [
    "ক্ষমতা",
    "কর্মশ্রী",
    "পঞ্চায়েত",
    "গ্রামোন্নয়ন",
    "স্বাস্থ্য",
    "জব কার্ড",
    "মজুরি",
    "শ্রী",
    "দ্বিতীয়",
    "হ্যাঁ",
    "র‍্যাব",
    "উদ্দেশ্যে",
    "বিবরণী",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(BENGALI_WORDS + ["Job", "card", "১২৩"]), min_size=1, max_size=12),
    st.integers(min_value=3, max_value=30),
    st.booleans(),
)
def test_shorten_never_cuts_inside_a_grapheme_cluster(words, limit, spaces):
    text = (" " if spaces else "").join(words)
    out = render.shorten(text, limit)
    assert len(out) <= limit
    if out.endswith(render.ELLIPSIS):
        kept = out[:-1]
        clusters = render.graphemes(text)
        prefix = ""
        for cluster in clusters:  # `kept` is made of whole clusters of `text`
            if len(prefix) >= len(kept):
                break
            prefix += cluster
        assert prefix == kept, (text, out)
        assert not kept.endswith(("\u09cd", "\u200d", "\u200c"))
    else:
        assert out == " ".join(text.split())


def test_shorten_prefers_word_boundaries():
    assert render.shorten("না, অন্য আর্থিক বছরের বিবরণী চাই", 24) == "না, অন্য আর্থিক বছরের…"
    assert render.shorten("Salary statement for the year", 20) == "Salary statement…"
    assert render.shorten("short", 20) == "short"


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(BENGALI_WORDS + ["\n", "\n\n", "ok.", "x" * 50]), max_size=400),
    st.integers(min_value=40, max_value=600),
)
def test_split_text_chunks_fit_and_keep_the_words(words, limit):
    text = " ".join(words)
    chunks = render.split_text(text, limit)
    assert all(0 < len(c) <= limit for c in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())
    for c in chunks:
        assert not c.endswith("\u09cd")


def test_merge_texts_joins_while_they_fit():
    assert render.merge_texts(["a", "b", "c"]) == ["a\n\nb\n\nc"]
    big = "x" * 4093
    assert render.merge_texts([big, "tail"]) == [big, "tail"]


def test_reply_buttons_within_limits_in_both_languages():
    for language in ("bn", "en", None):
        body = render.unsupported_reply(language)
        assert render.validate_interactive(body) == []
        titles = [b["reply"]["title"] for b in body["interactive"]["action"]["buttons"]]
        assert all(len(t) <= 20 for t in titles)


def test_validate_interactive_reports_what_meta_rejects():
    bad = {
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "x" * 1025},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": str(i), "title": "t" * 21}} for i in range(4)
                ]
            },
        },
    }
    problems = render.validate_interactive(bad)
    assert any("body.text" in p for p in problems)
    assert any("buttons: 4" in p for p in problems)
    assert any("title" in p for p in problems)
    rows = [{"id": str(i), "title": "r" * 25, "description": "d" * 73} for i in range(11)]
    bad_list = {
        "type": "list",
        "body": {"text": "b"},
        "action": {"button": "b" * 21, "sections": [{"title": "s" * 25, "rows": rows}]},
    }
    problems = render.validate_interactive(bad_list)
    for fragment in ("action.button", "rows: 11", "rows[0].title", "rows[0].description"):
        assert any(fragment in p for p in problems), fragment


def _domain_responses():
    for path in domain_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (data.get("responses") or {}).items():
            for i, variation in enumerate(variations or []):
                yield f"{name}[{i}]", variation


@pytest.mark.parametrize("name,variation", list(_domain_responses()) or [("none", {})])
def test_every_domain_response_renders_within_whatsapp_limits(name, variation):
    message = dict(variation)
    for body in render.render_response(message):
        assert render.validate_interactive(body) == [], name
    for button in message.get("buttons") or []:
        payload = str(button.get("payload", ""))
        assert payload.startswith("/"), (
            f"{name}: button payload {payload!r} is not an intent message"
        )
        assert len(payload) <= render.ROW_ID_MAX, name


def test_a_button_with_a_description_becomes_a_described_list_row():
    buttons = [
        {"title": "দোগাছি", "description": "উদয়নারায়ণপুর, হাওড়া", "payload": "/a"},
        {"title": "দোগাছি", "description": "কৃষ্ণনগর-১, নদিয়া", "payload": "/b"},
    ]
    (body,) = render.render_buttons("কোনটার কথা বলছেন?", buttons)
    rows = body["interactive"]["action"]["sections"][0]["rows"]
    assert body["interactive"]["type"] == "list"
    assert [(r["id"], r["title"], r["description"]) for r in rows] == [
        ("/a", "দোগাছি", "উদয়নারায়ণপুর, হাওড়া"),
        ("/b", "দোগাছি", "কৃষ্ণনগর-১, নদিয়া"),
    ]
