"""`make bench-scale`'s figures (tools/scale/load.py): the sustained figures leave out the
turns started while every user was still at the start of the script together."""

from __future__ import annotations

import pytest

from tools.scale.load import Result, percentile


def test_sustained_keeps_the_turns_started_after_the_ramp():
    turns = [
        ("whatsapp", 3, 900.0, 0.5),  # the start: every user at its first service at once
        ("rest", 4, 800.0, 9.9),
        ("whatsapp", 12, 200.0, 10.0),
        ("rest", 13, 300.0, 25.0),
        ("rest", 14, 400.0, 39.0),
    ]
    whole = Result(32, 40.0, turns, errors=1, timeouts=2)
    steady = whole.sustained(10.0)
    assert steady.latencies() == [200.0, 300.0, 400.0]
    assert steady.latencies("rest") == [300.0, 400.0]
    assert steady.seconds == 30.0 and steady.rate == pytest.approx(0.1)
    assert (steady.errors, steady.timeouts) == (1, 2)
    assert percentile(whole.latencies(), 0.95) == 900.0
    assert percentile(steady.latencies(), 0.95) == 400.0
    assert whole.sustained(0.0).latencies() == whole.latencies()
    assert whole.sustained(50.0).rate == 0.0


def test_a_staggered_user_goes_through_the_opening_turns_first():
    from itertools import islice

    from tools.scale.load import positions

    assert list(islice(positions(10, 0, 4), 12)) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]
    # inside the opening (the card not yet given): from the beginning
    assert list(islice(positions(10, 2, 4), 5)) == [0, 1, 2, 3, 4]
    # past it: the opening, then its own place, round and round
    assert list(islice(positions(10, 7, 4), 10)) == [0, 1, 2, 3, 7, 8, 9, 0, 1, 2]
    assert list(islice(positions(10, 4, 4), 6)) == [0, 1, 2, 3, 4, 5]


def test_the_rest_opening_ends_with_the_card_after_the_number_check():
    from tools.scale import load

    turns = load.rest_script("WB-CARD")
    opening = turns[: turns.index("WB-CARD") + 1]
    assert opening[-3:] == [load.NUMBER, load.CODE, "WB-CARD"]
    whatsapp = load.script("WB-CARD")
    assert whatsapp[: whatsapp.index("WB-CARD") + 1][-1] == "WB-CARD"
