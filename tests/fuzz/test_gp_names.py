"""GP / block name matching (actions/places.py) with hostile text: no exception."""

from __future__ import annotations

from hypothesis import given

from actions import places
from tests.fuzz.strategies import hostile_text, long_text


@given(value=hostile_text)
def test_place_name_helpers_never_raise(value):
    assert isinstance(places.key(value), str)
    assert isinstance(places.cleaned(value), str)
    assert all(isinstance(q, str) for q in places.queries(value))


@given(value=long_text)
def test_place_name_helpers_on_long_text(value):
    found = places.queries(value)
    assert len(found) <= places.MAX_QUERIES and all(isinstance(q, str) for q in found)
