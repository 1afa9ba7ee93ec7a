"""A citizen's job cards from the verified number: one is used and named, several are a list
by number and head of household, none means the usual question."""

from __future__ import annotations

import asyncio
import collections

from rasa_sdk.executor import CollectingDispatcher

from actions.demand_work_form import ValidateDemandWorkForm
from actions.karmashree import ValidateKarmashreeForm
from actions.my_job_cards import ActionAskJobCard
from tests.support.records import portal_json
from tests.support.trackers import DOMAIN, run, tracker


def owners(portal):
    return collections.Counter(card["mobile"] for card in portal.demo_ids["job_cards"])


def extract(form, text, intent, sender, language="bn"):
    t = tracker(text, intent=intent, sender=sender, slots={"language": language})
    dispatcher = CollectingDispatcher()
    found = asyncio.run(form.extract_job_card(dispatcher, t, DOMAIN))
    return found, dispatcher.messages


def card_view(portal, card):
    return portal_json(
        portal, f"/karmashree/job-cards/{card['job_card'].replace('/', '%2F')}", card["mobile"]
    )


def test_the_only_card_is_used_and_named(portal):
    card = next(c for c in portal.demo_ids["job_cards"] if owners(portal)[c["mobile"]] == 1)
    record = card_view(portal, card)
    found, said = extract(
        ValidateKarmashreeForm(), "আমার জব কার্ডে কত দিন কাজ হয়েছে?", "work_status", card["mobile"]
    )
    assert found == {"job_card": card["job_card"]}
    assert said[0]["response"] == "utter_using_job_card"
    assert said[0]["job_card"] == card["job_card"]
    assert said[0]["name"] == record["head_of_household_bn"] != record["head_of_household"]
    found, said = extract(
        ValidateDemandWorkForm(), "I want work", "demand_work", card["mobile"], "en"
    )
    assert found == {"job_card": card["job_card"]}
    assert said[0]["name"] == record["head_of_household"]


def test_several_cards_are_a_list_by_number_and_household(portal):
    mobile = next(m for m, n in owners(portal).items() if n > 1)
    mine = [c for c in portal.demo_ids["job_cards"] if c["mobile"] == mobile]
    found, said = extract(ValidateKarmashreeForm(), "kaj koto din holo", "work_status", mobile)
    assert found == {} and said == []
    names, _, dispatcher = run(
        ActionAskJobCard(), tracker("", sender=mobile, slots={"language": "bn"})
    )
    assert names == ["utter_choose_job_card"]
    buttons = dispatcher.messages[0]["buttons"]
    assert sorted(b["title"] for b in buttons) == sorted(c["job_card"] for c in mine)
    for button in buttons:
        card = next(c for c in mine if c["job_card"] == button["title"])
        assert card_view(portal, card)["head_of_household_bn"] in button["description"]
        assert button["payload"] == f'/inform{{"job_card":"{card["job_card"]}"}}'


def test_no_card_or_no_verified_number_asks_as_before(portal):
    stranger = portal.demo_ids["strangers"][0]
    found, said = extract(
        ValidateKarmashreeForm(), "how many days of work", "work_status", stranger, "en"
    )
    assert found == {} and said == []
    names, _, _ = run(ActionAskJobCard(), tracker("", sender=stranger))
    assert names == ["utter_ask_job_card"]
    names, _, _ = run(ActionAskJobCard(), tracker("", sender="web-visitor-7", channel="rest"))
    assert names == ["utter_ask_job_card"]
