"""A record that does not exist and a record registered to another mobile get the same words
(issue 10): each service's pair of refusals must say exactly the same thing in both languages,
so a stranger cannot tell from the answer whether a number is real."""

from __future__ import annotations

import pytest

from tests.support.domain import load_domain

RESPONSES = load_domain()["responses"]
PAIRS = [
    ("utter_job_card_not_found", "utter_job_card_not_yours"),
    ("utter_trade_noc_not_found", "utter_trade_noc_not_yours"),
    ("utter_building_plan_not_found", "utter_building_plan_not_yours"),
    ("utter_booking_not_found", "utter_booking_not_yours"),
    ("utter_employee_not_found", "utter_employee_record_not_yours"),
]


def texts(name: str) -> dict:
    out = {}
    for variation in RESPONSES[name]:
        english = any(c.get("value") == "en" for c in variation.get("condition") or [])
        out["en" if english else "bn"] = variation["text"]
    return out


@pytest.mark.parametrize("not_found,not_yours", PAIRS)
def test_not_found_and_not_yours_say_the_same(not_found, not_yours):
    assert texts(not_found) == texts(not_yours)
    assert set(texts(not_found)) == {"en", "bn"}
    for text in texts(not_found).values():
        assert "{" not in text, "no placeholder: the number itself is not repeated back"
