"""The operator pages' pure parts: timeline items, charts, the staff login, shell choices."""

from __future__ import annotations

import base64

import pytest

from operator_console.chat import timeline
from operator_console.dashboard import charts
from operator_console.web import StaffLogin
from sathi import shell_choices


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_staff_login_accepts_only_the_configured_pair():
    login = StaffLogin("staff", "s3cret-pass")
    assert login.check(basic("staff", "s3cret-pass"))
    assert not login.check(None)
    assert not login.check(basic("staff", "wrong"))
    assert not login.check(basic("other", "s3cret-pass"))
    assert not login.check("Basic %%%not-base64")
    assert not login.check("Bearer s3cret-pass")


def test_staff_login_locks_after_many_failures():
    login = StaffLogin("staff", "pw", max_failures=3)
    for _ in range(3):
        assert not login.check(basic("staff", "guess"))
    assert not login.check(basic("staff", "pw"))  # locked for a minute, even the right one


def test_dashboard_refuses_to_start_without_a_password():
    with pytest.raises(ValueError, match="SATHI_DASHBOARD_PASSWORD"):
        StaffLogin("staff", "")


def test_bot_items_render_whatsapp_shapes():
    messages = [
        {
            "wamid": "w1",
            "type": "interactive",
            "at": 2.0,
            "body": {
                "interactive": {
                    "type": "button",
                    "body": {"text": "ভাষা?"},
                    "action": {
                        "buttons": [
                            {
                                "type": "reply",
                                "reply": {"id": '/set_language{"language":"bn"}', "title": "বাংলা"},
                            }
                        ]
                    },
                }
            },
        },
        {
            "wamid": "w2",
            "type": "interactive",
            "at": 3.0,
            "body": {
                "interactive": {
                    "type": "list",
                    "body": {"text": "menu"},
                    "action": {
                        "button": "পরিষেবা",
                        "sections": [
                            {
                                "title": "নথি",
                                "rows": [
                                    {"id": "/payslip", "title": "বেতন স্লিপ", "description": "মাসের"}
                                ],
                            }
                        ],
                    },
                }
            },
        },
        {
            "wamid": "w3",
            "type": "document",
            "at": 4.0,
            "body": {"document": {"id": "77", "filename": "a.pdf"}},
            "document": {"filename": "a.pdf", "caption": "slip", "size": 2048, "media_id": "77"},
        },
        {"wamid": "w4", "type": "text", "at": 1.0, "body": {"text": {"body": "নমস্কার"}}},
        {
            "wamid": "w5",
            "type": "template",
            "at": 5.0,
            "body": {
                "template": {
                    "name": "sathi_document_ready",
                    "language": {"code": "bn"},
                    "components": [
                        {
                            "type": "header",
                            "parameters": [
                                {"type": "document", "document": {"id": "78", "filename": "b.pdf"}}
                            ],
                        },
                        {"type": "body", "parameters": [{"type": "text", "text": "b.pdf"}]},
                    ],
                }
            },
            "document": {"filename": "b.pdf", "size": 10, "media_id": "78"},
        },
    ]
    items = timeline.bot_items(messages)
    assert items[0]["type"] == "buttons" and items[0]["buttons"][0]["title"] == "বাংলা"
    assert items[1]["type"] == "list" and items[1]["sections"][0]["rows"][0]["id"] == "/payslip"
    assert (
        items[2]["type"] == "document"
        and items[2]["filename"] == "a.pdf"
        and items[2]["media_id"] == "77"
    )
    assert items[3] == {"kind": "bot", "at": 1.0, "wamid": "w4", "type": "text", "text": "নমস্কার"}
    assert items[4]["type"] == "template" and items[4]["name"] == "sathi_document_ready"
    assert items[4]["media_id"] == "78" and items[4]["parameters"] == ["b.pdf"]


def test_user_items_carry_nlu_and_the_tapped_title():
    events = [
        {
            "event": "user",
            "timestamp": 5.0,
            "text": "/payslip",
            "message_id": "wamid.X",
            "metadata": {"whatsapp": {"type": "interactive"}},
            "parse_data": {"intent": {"name": "payslip", "confidence": 1.0}, "entities": []},
        },
        {
            "event": "user",
            "timestamp": 6.0,
            "text": "WBP-1002300",
            "message_id": "wamid.Y",
            "parse_data": {
                "intent": {"name": "inform", "confidence": 0.8123},
                "entities": [{"entity": "employee_id", "value": "WBP-1002300", "start": 0}],
            },
        },
        {"event": "restart", "timestamp": 7.0},
        {"event": "bot", "timestamp": 5.5, "text": "ignored"},
    ]
    items = timeline.user_items(events, {"wamid.X": "বেতন স্লিপ"})
    assert [i["kind"] for i in items] == ["user", "user", "restart"]
    assert items[0]["text"] == "বেতন স্লিপ" and items[0]["payload"] == "/payslip"
    assert items[1]["intent"] == "inform" and items[1]["confidence"] == 0.812
    assert items[1]["entities"] == [{"entity": "employee_id", "value": "WBP-1002300"}]


def test_identity_choices_cover_every_group():
    ids = {
        "job_cards": [{"job_card": "WB-1", "mobile": "919800000001", "gp_name_en": "Dogachi"}],
        "employees": [{"employee_id": "WBP-1", "mobile": "919800100001"}],
        "officials": [
            {
                "mobile": "919800200001",
                "designation": "Secretary",
                "gram_panchayats": [{"name_en": "Dogachi"}],
                "panchayat_samitis": [],
            }
        ],
        "strangers": ["919800900001"],
    }
    choices = timeline.identity_choices(ids)
    assert [c["mobile"] for c in choices] == [
        "919800000001",
        "919800100001",
        "919800200001",
        "919800900001",
    ]


def test_charts_are_svg_with_every_value():
    svg = charts.stacked_bars(
        ["2026-11-20", "2026-11-21"],
        {"payslip": [2, 0], "trade_noc": [1, 3]},
        {"payslip": "বেতন স্লিপ · Pay slip"},
        "title <&>",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "বেতন স্লিপ · Pay slip: 2" in svg and "trade_noc: 3" in svg
    assert "title &lt;&amp;&gt;" in svg
    assert svg.count("<rect") == 3 + 2  # three non-zero bars + two legend keys
    bars = charts.horizontal_bars([("bn", 3), ("en", 1)], "share")
    assert "bn: 3 (75%)" in bars and "en: 1 (25%)" in bars
    assert charts.nice_max(0) == 1 and charts.nice_max(7) == 10 and charts.nice_max(12) == 20


def test_shell_choices_map_a_typed_number_to_the_payload_once():
    buttons = [
        {"title": "বাংলা", "payload": '/set_language{"language":"bn"}'},
        {"title": "English", "payload": '/set_language{"language":"en"}'},
    ]
    text = shell_choices.as_text("ভাষা বাছুন", buttons, "bn")
    assert "1. বাংলা" in text and "2. English" in text and "নম্বর লিখুন" in text
    shell_choices.offer(buttons)
    assert shell_choices.take("২") == '/set_language{"language":"en"}'  # Bengali digit
    assert shell_choices.take("2") is None  # used up
    shell_choices.offer(buttons)
    assert shell_choices.take("amar majuri") is None  # free text passes
    assert shell_choices.take("1") is None  # the offer is gone
    shell_choices.offer(buttons)
    assert shell_choices.take("3") is None  # no such choice


def test_portal_call_outcomes_and_breaker_openings():
    from bot_store import portal_calls
    from portal_client import CircuitOpen, NotYours, PortalUnavailable

    assert portal_calls.outcome_of(NotYours("x")) == portal_calls.OK  # the portal answered
    assert portal_calls.outcome_of(PortalUnavailable("x")) == portal_calls.UNAVAILABLE
    assert portal_calls.outcome_of(CircuitOpen("x", area="payroll")) == portal_calls.CIRCUIT_OPEN
    assert portal_calls.outcome_of(KeyError("x")) == portal_calls.ERROR
    portal_calls._last_states.clear()
    assert portal_calls.newly_opened({"payroll": "closed"}) == []
    assert portal_calls.newly_opened({"payroll": "open", "geo": "closed"}) == ["payroll"]
    assert portal_calls.newly_opened({"payroll": "open"}) == []  # still open: once
    assert portal_calls.newly_opened({"payroll": "half_open"}) == []
    assert portal_calls.newly_opened({"payroll": "open"}) == ["payroll"]  # opened again


def test_chat_api_takes_only_json_and_real_numbers():
    """A cross-site form or no-cors fetch (text/plain) cannot make the chat send a webhook."""
    import asyncio

    from aiohttp.test_utils import TestClient, TestServer

    from operator_console.chat.server import ChatConfig, make_app

    async def scenario():
        app = make_app(ChatConfig("http://127.0.0.1:9", "http://127.0.0.1:9", "secret", "token"))
        async with TestClient(TestServer(app)) as client:
            plain = await client.post(
                "/chat/api/send",
                data='{"phone":"919800000001","text":"hi"}',
                headers={"Content-Type": "text/plain"},
            )
            short = await client.post("/chat/api/send", json={"phone": "123", "text": "hi"})
            empty = await client.post("/chat/api/send", json={"phone": "919800000001", "text": " "})
            down = await client.post("/chat/api/send", json={"phone": "9800000001", "text": "hi"})
            page = await client.get("/chat/")
            return (
                plain.status,
                short.status,
                empty.status,
                down.status,
                page.status,
                page.headers["Content-Security-Policy"],
            )

    plain, short, empty, down, page, csp = asyncio.run(scenario())
    assert (plain, short, empty) == (415, 400, 400)
    assert down == 502  # nothing listens on port 9: a clear answer, not a 500
    assert page == 200 and "default-src 'self'" in csp
