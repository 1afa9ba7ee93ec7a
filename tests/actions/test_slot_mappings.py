import pytest

from actions.slot_mappings import GlobalSlotMappings
from bot_store import preferences
from tests.support.trackers import run, slot_events, tracker


@pytest.mark.parametrize(
    "text,expected",
    [
        ("amar job card e koto din kaj holo", "bn"),
        ("আমার মজুরি কবে ঢুকবে", "bn"),
        ("pay slip টা দিন", "bn"),
        ("how many days of work did I get", "en"),
    ],
)
def test_first_message_sets_language(text, expected):
    _, events, _ = run(GlobalSlotMappings(), tracker(text, intent="work_status"))
    assert slot_events(events)["language"] == expected
    assert preferences.get("919800000001").language == expected


def test_bare_greeting_leaves_language_open():
    _, events, _ = run(GlobalSlotMappings(), tracker("hi", intent="greet"))
    assert "language" not in slot_events(events)


def test_later_messages_do_not_switch_language():
    _, events, _ = run(
        GlobalSlotMappings(),
        tracker("how many days", intent="work_status", slots={"language": "bn"}),
    )
    assert "language" not in slot_events(events)


@pytest.mark.parametrize(
    "text,entity,expected",
    [
        ("english please", None, "en"),
        ("বাংলায় বলুন", None, "bn"),
        ("banglay bolo", "bangla", "bn"),
    ],
)
def test_explicit_request_switches_and_persists(text, entity, expected):
    entities = [{"entity": "language", "value": entity}] if entity else []
    other = "en" if expected == "bn" else "bn"
    _, events, _ = run(
        GlobalSlotMappings(),
        tracker(text, intent="set_language", entities=entities, slots={"language": other}),
    )
    assert slot_events(events)["language"] == expected
    assert preferences.get("919800000001").language == expected


def test_stored_preference_wins_for_a_returning_number():
    preferences.save("919800000001", language="en")
    _, events, _ = run(GlobalSlotMappings(), tracker("amar majuri", intent="wage_status"))
    assert slot_events(events)["language"] == "en"


def test_misses_count_and_reset():
    _, events, _ = run(
        GlobalSlotMappings(), tracker("asdf", intent="nlu_fallback", slots={"misses": 1})
    )
    assert slot_events(events)["misses"] == 2
    _, events, _ = run(GlobalSlotMappings(), tracker("hi", intent="greet", slots={"misses": 2}))
    assert slot_events(events)["misses"] == 0


def test_domain_slots_are_rasa_sdks_worked_out_once_per_domain(monkeypatch):
    """GlobalSlotMappings.domain_slots gives rasa_sdk's list for our domain, walks the slots'
    mappings once per domain dictionary (rasa_sdk asks for every slot of every turn), and
    works a different dictionary out again."""
    import copy

    from rasa.shared.core.domain import Domain
    from rasa_sdk.forms import ValidationAction

    from actions.slot_mappings import GlobalSlotMappings
    from channels.slot_mappings_in_process import _domain_dict

    domain = _domain_dict(Domain.load("domain"))
    expected = ValidationAction.domain_slots(GlobalSlotMappings(), domain)
    assert "language" in expected and set(expected) <= set(domain["slots"])
    walks = []
    real = ValidationAction._is_mapped_to_form
    monkeypatch.setattr(
        ValidationAction, "_is_mapped_to_form", staticmethod(lambda v: walks.append(1) or real(v))
    )
    other = copy.deepcopy(domain)
    for action in (GlobalSlotMappings(), GlobalSlotMappings()):  # one instance per call
        for _ in range(3):
            assert action.domain_slots(domain) == expected
    first = len(walks)
    assert first <= len(domain["slots"])  # once, not once per call
    del other["slots"]["language"]
    assert GlobalSlotMappings().domain_slots(other) == [s for s in expected if s != "language"]
    assert len(walks) > first  # a new dictionary is worked out again
    returned = GlobalSlotMappings().domain_slots(domain)
    returned.clear()  # a caller changing its list changes no one else's
    assert GlobalSlotMappings().domain_slots(domain) == expected
