"""Several records on one number: a list by number, each described by what it is."""

from __future__ import annotations

import collections

from actions.trade_noc import ActionAskTradeNocNo
from tests.support.records import portal_json
from tests.support.trackers import run, tracker


def test_several_trade_nocs_are_described_by_trade_and_state(portal):
    owners = collections.Counter(n["mobile"] for n in portal.demo_ids["trade_nocs"])
    mobile = next(m for m, count in owners.items() if count > 1)
    mine = [n for n in portal.demo_ids["trade_nocs"] if n["mobile"] == mobile]
    names, _, dispatcher = run(
        ActionAskTradeNocNo(), tracker("", sender=mobile, slots={"language": "bn"})
    )
    assert names == ["utter_choose_trade_noc_no"]
    buttons = dispatcher.messages[0]["buttons"]
    assert sorted(b["title"] for b in buttons) == sorted(n["application_no"] for n in mine)
    for button in buttons:
        record = portal_json(portal, f"/trade-nocs/{button['title']}", mobile)
        assert record["trade_name"] in button["description"]
        assert record["status"] not in button["description"]  # worded, not a code
        assert button["payload"] == f'/inform{{"trade_noc_no":"{button["title"]}"}}'


def test_a_stranger_is_asked_for_the_number(portal):
    names, _, _ = run(ActionAskTradeNocNo(), tracker("", sender=portal.demo_ids["strangers"][0]))
    assert names == ["utter_ask_trade_noc_no"]
