"""State enums (sathi/str_enum.py, bot_store/states.py) stay interchangeable with the plain
strings the tables held before them."""

from __future__ import annotations

import json

from bot_store import audit, deferred, inbox, outbox, portal_calls
from bot_store.states import AuditOutcome, DeferredState, InboxState, OutboxState
from sathi.str_enum import StrEnum


class Colour(StrEnum):
    RED = "red"


def test_a_member_is_its_value_everywhere_a_string_goes():
    assert Colour.RED == "red" and hash(Colour.RED) == hash("red")
    assert {"red": 1}[Colour.RED] == 1
    assert str(Colour.RED) == f"{Colour.RED}" == "%s" % Colour.RED == "red"  # noqa: UP031
    assert json.dumps({"c": Colour.RED}) == '{"c": "red"}'
    assert Colour("red") is Colour.RED


def test_stored_values_are_the_ones_rows_already_hold():
    assert [s.value for s in InboxState] == ["new", "processing", "done", "failed"]
    assert [s.value for s in OutboxState] == [
        "pending",
        "sending",
        "sent",
        "failed",
        "ambiguous",
        "needs_template",
    ]
    assert [s.value for s in DeferredState] == [
        "waiting",
        "delivering",
        "delivered",
        "failed",
        "cancelled",
        "expired",
    ]
    assert audit.OUTCOMES == tuple(AuditOutcome) and audit.DELIVERED == "delivered"
    assert set(outbox.FINAL_STATES) == {"sent", "failed", "ambiguous", "needs_template"}
    assert set(deferred.OPEN_STATES) == {"waiting", "delivering"}
    assert portal_calls.CIRCUIT_OPEN == "circuit_open" and portal_calls.OK == "ok"
    assert inbox._UNFINISHED == ("new", "processing")
