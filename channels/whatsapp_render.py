"""Rasa responses -> WhatsApp Cloud API message bodies, within Meta's documented limits.

Pure functions, no I/O: text splitting, safe shortening of labels (never inside a Bengali
grapheme cluster), reply buttons vs list messages, the "we read only text" answer, and
`validate_interactive`, which tests run over every domain response.

Lengths are counted in Unicode code points (what Python's `len` counts); Bengali lives in
the Basic Multilingual Plane, so this equals UTF-16 code units for every Bengali label.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import regex

from sathi.graphemes import JOINERS, fitting_prefix, graphemes, shorten  # noqa: F401
from sathi.settings import settings

# Meta's documented limits (interactive messages, text messages).
TEXT_MAX = 4096
BODY_MAX = 1024
HEADER_MAX = 60
FOOTER_MAX = 60
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
LIST_BUTTON_MAX = 20
LIST_ROWS_MAX = 10
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
ROW_ID_MAX = 200
SECTION_TITLE_MAX = 24
SECTIONS_MAX = 10
CAPTION_MAX = 1024

ELLIPSIS = "…"

_BENGALI = regex.compile(r"[\u0980-\u09FF]")
_JOINERS = JOINERS


def helpline() -> str:
    return settings().helpline


def is_bengali(text: str | None) -> bool:
    return bool(text) and bool(_BENGALI.search(text))


def _boundary_split(text: str, limit: int) -> int:
    """Index at which to cut `text` (longer than limit): a paragraph, line, sentence or word
    boundary when one exists in the second half of the window, else a grapheme boundary."""
    window = text[:limit]
    for sep in ("\n\n", "\n", "। ", ". ", "? ", "! ", " "):
        pos = window.rfind(sep)
        if pos >= limit // 2:
            return pos + len(sep)
    # no boundary: whole graphemes only, looking past the window so that a cluster which
    # straddles its edge moves to the next chunk whole
    return max(fitting_prefix(text, limit), 1)


def split_text(text: str, limit: int = TEXT_MAX) -> list[str]:
    """Chunks of at most `limit` code points, cut on paragraph/line/word boundaries."""
    text = (text or "").strip()
    chunks: list[str] = []
    while len(text) > limit:
        cut = _boundary_split(text, limit)
        head = text[:cut].rstrip()
        if head:
            chunks.append(head)
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


def merge_texts(texts: Iterable[str], limit: int = TEXT_MAX) -> list[str]:
    """Consecutive texts joined by a blank line while they fit in one message."""
    out: list[str] = []
    for text in texts:
        for chunk in split_text(text, limit):
            if out and len(out[-1]) + 2 + len(chunk) <= limit:
                out[-1] = out[-1] + "\n\n" + chunk
            else:
                out.append(chunk)
    return out


def fold_into_interactive(texts: list[str], message: dict[str, Any]) -> dict[str, Any] | None:
    """`message` (an interactive buttons or list message) with `texts` put before its body
    text, blank line between, when the whole still fits in one body (BODY_MAX); else None.
    A turn's answer and the question that ends it become one message instead of two (fewer,
    calmer messages: WHATSAPP.md on 131056)."""
    interactive = message.get("interactive") if message.get("type") == "interactive" else None
    if not isinstance(interactive, dict) or interactive.get("type") not in ("button", "list"):
        return None
    body = interactive.get("body")
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        return None
    text = "\n\n".join([*(t.strip() for t in texts), body["text"]])
    if len(text) > BODY_MAX:
        return None
    return {**message, "interactive": {**interactive, "body": {**body, "text": text}}}


def text_body(text: str) -> dict[str, Any]:
    return {"type": "text", "text": {"preview_url": False, "body": text}}


def _labels(bengali: bool) -> dict[str, str]:
    if bengali:
        return {
            "choose": "বেছে নিন",
            "options": "বিকল্প",
            "more": "আরও বিকল্প",
            "empty": "নিচের থেকে বেছে নিন।",
        }
    return {
        "choose": "Choose",
        "options": "Options",
        "more": "More options",
        "empty": "Please choose below.",
    }


def _button_id(button: dict[str, Any]) -> str:
    payload = button.get("payload")
    return str(payload if payload not in (None, "") else button.get("title", ""))


def _split_body(text: str) -> tuple[list[str], str]:
    """(plain texts sent before, interactive body <= BODY_MAX)."""
    text = text.strip()
    if len(text) <= BODY_MAX:
        return [], text
    body = split_text(text, BODY_MAX)[-1]  # a suffix of `text`
    return split_text(text[: len(text) - len(body)], TEXT_MAX), body


def render_buttons(text: str, buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Graph message bodies (without `to`) for a text with Rasa buttons: reply buttons when
    there are at most 3 and every title fits in 20, else list message(s) of <= 10 rows."""
    text = (text or "").strip()
    bengali = is_bengali(text) or any(is_bengali(str(b.get("title", ""))) for b in buttons)
    labels = _labels(bengali)
    before, body = _split_body(text)
    body = body or labels["empty"]
    out: list[dict[str, Any]] = [text_body(t) for t in before]
    titles = [" ".join(str(b.get("title", "")).split()) for b in buttons]
    if not buttons:
        out.append(text_body(body))
        return out
    if (
        len(buttons) <= BUTTONS_MAX
        and all(0 < len(t) <= BUTTON_TITLE_MAX for t in titles)
        and len(set(titles)) == len(titles)
        and not any(b.get("description") for b in buttons)
    ):
        out.append(
            {
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": body},
                    "action": {
                        "buttons": [
                            {"type": "reply", "reply": {"id": _button_id(b), "title": t}}
                            for b, t in zip(buttons, titles)
                        ]
                    },
                },
            }
        )
        return out
    pages = [buttons[i : i + LIST_ROWS_MAX] for i in range(0, len(buttons), LIST_ROWS_MAX)]
    for number, page in enumerate(pages, start=1):
        rows = []
        for b in page:
            title = " ".join(str(b.get("title", "")).split()) or _button_id(b)
            row = {"id": _button_id(b), "title": shorten(title, ROW_TITLE_MAX)}
            described = " ".join(str(b.get("description") or "").split())
            if described:  # a button may carry its own description (e.g. a place's block)
                row["description"] = shorten(described, ROW_DESCRIPTION_MAX)
            elif row["title"] != title:  # the whole title stays readable in the description
                row["description"] = shorten(title, ROW_DESCRIPTION_MAX)
            rows.append(row)
        page_body = body
        if number > 1:
            page_body = f"{labels['more']} ({number}/{len(pages)})"
        section_title = (
            labels["options"] if len(pages) == 1 else f"{labels['options']} {number}/{len(pages)}"
        )
        out.append(
            {
                "type": "interactive",
                "interactive": {
                    "type": "list",
                    "body": {"text": page_body},
                    "action": {
                        "button": shorten(labels["choose"], LIST_BUTTON_MAX),
                        "sections": [
                            {"title": shorten(section_title, SECTION_TITLE_MAX), "rows": rows}
                        ],
                    },
                },
            }
        )
    return out


# --- the answer to what the bot cannot read --------------------------------------------
_MENU = [
    ("/help", "সাহায্য", "Help"),
    ("/work_status", "কাজের অবস্থা", "Work status"),
    ("/human_handoff", "কর্মীর সাথে কথা", "Talk to staff"),
]
_MENU_BILINGUAL = {
    "/help": "সাহায্য / Help",
    "/work_status": "কাজ / Work status",
    "/human_handoff": "কর্মীর সাথে / Staff",
}


def unsupported_reply(language: str | None) -> dict[str, Any]:
    """Reply buttons saying the bot reads only text, with the menu and the helpline; in the
    stored language, or Bengali first then English when none is known. The helpline stays in
    ASCII digits so WhatsApp makes it tappable."""
    line = helpline()
    bn = (
        "দুঃখিত, আমি শুধু লেখা মেসেজ পড়তে পারি — ভয়েস, ছবি, ভিডিও, লোকেশন বা ফাইল "
        "পড়তে পারি না। দয়া করে লিখে জানান, অথবা নিচের বোতাম থেকে বেছে নিন। "
        f"হেল্পলাইন: {line}"
    )
    en = (
        "Sorry, I can read only text messages, not voice notes, pictures, videos, "
        "locations or files. Please type your question or pick an option below. "
        f"Helpline: {line}"
    )
    if language == "bn":
        body, titles = bn, {p: b for p, b, _ in _MENU}
    elif language == "en":
        body, titles = en, {p: e for p, _, e in _MENU}
    else:
        body, titles = bn + "\n\n" + en, _MENU_BILINGUAL
    return {
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": body if len(body) <= BODY_MAX else shorten(body, BODY_MAX)},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": p, "title": titles[p]}} for p, _, _ in _MENU
                ]
            },
        },
    }


def document_unavailable_text(language: str | None) -> str:
    bn = "দুঃখিত, এই নথিটি আর পাওয়া যাচ্ছে না। দয়া করে আবার চেয়ে নিন।"
    en = "Sorry, this document is no longer available. Please ask for it again."
    return {"bn": bn, "en": en}.get(language or "", bn + "\n\n" + en)


# --- validation --------------------------------------------------------------------------
def _check(problems: list[str], value: Any, limit: int, what: str, required: bool = True):
    if value is None or value == "":
        if required:
            problems.append(f"{what}: missing")
        return
    if not isinstance(value, str):
        problems.append(f"{what}: not a string")
    elif len(value) > limit:
        problems.append(f"{what}: {len(value)} > {limit} characters ({value!r})")
    elif value.endswith(_JOINERS):
        problems.append(f"{what}: ends inside a grapheme cluster ({value!r})")


def validate_interactive(payload: dict[str, Any]) -> list[str]:
    """Problems Meta would reject in a Graph message body (`{"type": "interactive", ...}`,
    `{"type": "text", ...}` or the bare `interactive` object); [] when it is valid."""
    problems: list[str] = []
    if payload.get("type") == "text":
        _check(problems, (payload.get("text") or {}).get("body"), TEXT_MAX, "text.body")
        return problems
    inter = payload.get("interactive", payload)
    kind = inter.get("type")
    _check(problems, (inter.get("body") or {}).get("text"), BODY_MAX, "body.text")
    header = inter.get("header")
    if header is not None:
        _check(
            problems, header.get("text"), HEADER_MAX, "header.text", header.get("type") == "text"
        )
    if inter.get("footer") is not None:
        _check(problems, inter["footer"].get("text"), FOOTER_MAX, "footer.text")
    action = inter.get("action") or {}
    if kind == "button":
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= BUTTONS_MAX:
            problems.append(f"buttons: {len(buttons)} (1..{BUTTONS_MAX})")
        ids, titles = [], []
        for i, b in enumerate(buttons):
            reply = b.get("reply") or {}
            _check(problems, reply.get("title"), BUTTON_TITLE_MAX, f"buttons[{i}].title")
            _check(problems, reply.get("id"), BUTTON_ID_MAX, f"buttons[{i}].id")
            ids.append(reply.get("id"))
            titles.append(reply.get("title"))
        if len(set(ids)) != len(ids):
            problems.append("buttons: duplicate ids")
        if len(set(titles)) != len(titles):
            problems.append("buttons: duplicate titles")
    elif kind == "list":
        _check(problems, action.get("button"), LIST_BUTTON_MAX, "action.button")
        sections = action.get("sections") or []
        if not 1 <= len(sections) <= SECTIONS_MAX:
            problems.append(f"sections: {len(sections)} (1..{SECTIONS_MAX})")
        rows = [r for s in sections for r in (s.get("rows") or [])]
        if not 1 <= len(rows) <= LIST_ROWS_MAX:
            problems.append(f"rows: {len(rows)} (1..{LIST_ROWS_MAX})")
        for i, s in enumerate(sections):
            _check(
                problems,
                s.get("title"),
                SECTION_TITLE_MAX,
                f"sections[{i}].title",
                len(sections) > 1,
            )
        ids = []
        for i, r in enumerate(rows):
            _check(problems, r.get("title"), ROW_TITLE_MAX, f"rows[{i}].title")
            _check(problems, r.get("id"), ROW_ID_MAX, f"rows[{i}].id")
            _check(
                problems, r.get("description"), ROW_DESCRIPTION_MAX, f"rows[{i}].description", False
            )
            ids.append(r.get("id"))
        if len(set(ids)) != len(ids):
            problems.append("rows: duplicate ids")
    else:
        problems.append(f"interactive.type: {kind!r} not button/list")
    return problems


def render_response(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Graph body a Rasa bot message (`text`, `buttons`, `quick_replies`) becomes;
    used by `validate_domain_responses`-style tests. Custom payloads are not rendered here."""
    buttons = message.get("buttons") or message.get("quick_replies")
    if buttons:
        return render_buttons(message.get("text") or "", list(buttons))
    if message.get("text"):
        return [text_body(t) for t in split_text(message["text"])]
    return []
