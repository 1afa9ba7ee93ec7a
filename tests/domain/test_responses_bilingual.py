"""Every response exists in Bengali and English, with the same variables and buttons, and every
button label fits WhatsApp's limits (reply buttons: 3 at most, 20 characters; list rows: 10 at
most, 24 characters). `rasa data validate` checks none of this."""

from __future__ import annotations

import re

import pytest

from sathi.text import has_bengali_script
from tests.support.domain import load_domain

DOMAIN = load_domain()
RESPONSES = DOMAIN["responses"]
PLACEHOLDER = re.compile(r"{(\w+)}")


def variants(name):
    english, bengali = [], []
    for variation in RESPONSES[name]:
        condition = variation.get("condition") or []
        values = {c.get("value") for c in condition if c.get("name") == "language"}
        if variation.get("channel"):
            pytest.fail(f"{name}: channel-only variations beat language variations; don't use them")
        if "en" in values:
            english.append(variation)
        elif not condition or "bn" in values:
            bengali.append(variation)
    return english, bengali


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_response_has_both_languages(name):
    english, bengali = variants(name)
    assert english, f"{name} has no English variation (condition language=en)"
    assert bengali, f"{name} has no Bengali (default) variation"
    for variation in bengali:
        assert has_bengali_script(variation.get("text", "")), (
            f"{name}: Bengali text has no Bengali script"
        )
    for en in english:
        for bn in bengali:
            assert en.get("text") != bn.get("text"), f"{name}: Bengali equals English"
            assert set(PLACEHOLDER.findall(en.get("text", ""))) == set(
                PLACEHOLDER.findall(bn.get("text", ""))
            ), f"{name}: variables differ between languages"
            assert [b["payload"] for b in en.get("buttons", [])] == [
                b["payload"] for b in bn.get("buttons", [])
            ], f"{name}: buttons differ between languages"


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_button_labels_fit_whatsapp(name):
    for variation in RESPONSES[name]:
        buttons = variation.get("buttons") or []
        if not buttons:
            continue
        limit = 20 if len(buttons) <= 3 else 24
        assert len(buttons) <= 10, f"{name}: more than 10 choices"
        for button in buttons:
            assert 0 < len(button["title"]) <= limit, (
                f"{name}: '{button['title']}' longer than {limit}"
            )
            assert button["payload"].startswith("/"), f"{name}: payload must be an intent message"


def test_the_check_can_fail():
    RESPONSES["utter__probe"] = [{"text": "only English"}]
    try:
        with pytest.raises(AssertionError):
            test_response_has_both_languages("utter__probe")
    finally:
        del RESPONSES["utter__probe"]
