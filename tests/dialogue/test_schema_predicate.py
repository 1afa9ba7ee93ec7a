"""channels/schema_predicate.py (here for the dialogue fixtures): the action server's answers are
checked by a compiled predicate that must say what jsonschema says, on real answers (every
event of every story and rule) and on thousands of altered ones."""

from __future__ import annotations

import copy
import random

import pytest
from jsonschema import ValidationError
from jsonschema.validators import Draft202012Validator, validator_for
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from channels import action_client
from channels.schema_predicate import Unsupported, compile_schema

SCHEMA = RemoteAction.action_response_format_spec()
JSONSCHEMA = validator_for(SCHEMA)(SCHEMA)
FITS = compile_schema(SCHEMA)

# a discriminated union: the alternatives differ by the constant of one key
UNION = {
    "oneOf": [
        {"properties": {"kind": {"const": "a"}, "n": {"type": "integer"}}},
        {"properties": {"kind": {"const": "b"}, "n": {"type": "string"}}, "required": ["n"]},
        {"properties": {"kind": {"const": "c"}, "m": {"type": "string"}}, "required": ["m"]},
    ]
}
ODD_VALUES = [None, True, False, 0, 1, 1.0, 1.5, -3, "", "x", "user", "slot", [], {}, [1], {"a": 1}]
KEYS = [
    "event",
    "name",
    "value",
    "text",
    "entities",
    "intent",
    "intent_ranking",
    "timestamp",
    "metadata",
    "parse_data",
    "start",
    "end",
    "entity",
    "confidence",
    "events",
    "responses",
    "response_selector",
    "all_retrieval_intents",
    "default",
    "policy",
    "x",
]


def _answers(story_event_lists) -> list[dict]:
    answers = []
    for _name, events in story_event_lists:
        dicts = [event.as_dict() for event in events]
        for start in range(0, len(dicts), 4):
            answers.append({"events": dicts[start : start + 4], "responses": [{"text": "x"}]})
    return answers


def _nodes(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _nodes(child, (*path, index))


def _mutate(answer: dict, rng: random.Random) -> dict:
    answer = copy.deepcopy(answer)
    for _ in range(rng.randint(1, 3)):
        nodes = list(_nodes(answer))
        path, node = rng.choice(nodes)
        kind = rng.random()
        if kind < 0.45 and path:  # replace a value with an odd one
            parent = answer
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
        elif kind < 0.65 and isinstance(node, dict) and node:  # drop a key
            del node[rng.choice(list(node))]
        elif kind < 0.85 and isinstance(node, dict):  # add or overwrite a key
            node[rng.choice(KEYS)] = copy.deepcopy(rng.choice(ODD_VALUES + ["bot", "action"]))
        elif isinstance(node, dict) and "event" in node:  # another event type, same fields
            node["event"] = rng.choice(["user", "bot", "slot", "action", "entities", "nope"])
        elif isinstance(node, list) and node:  # an item twice
            node.append(copy.deepcopy(rng.choice(node)))
    return answer


def test_every_real_answer_fits_both(story_event_lists):
    answers = _answers(story_event_lists)
    assert len(answers) > 100
    for answer in answers:
        assert JSONSCHEMA.is_valid(answer), answer
        assert FITS(answer), answer


@pytest.mark.parametrize("seed", range(4))
def test_altered_answers_are_judged_as_jsonschema_judges_them(story_event_lists, seed):
    rng = random.Random(seed)
    answers = _answers(story_event_lists)
    verdicts = []
    for _ in range(400):
        altered = _mutate(rng.choice(answers), rng)
        expected = JSONSCHEMA.is_valid(altered)
        assert FITS(altered) == expected, altered
        verdicts.append(expected)
    # the alterations must reach both sides, or the comparison says little
    assert 0.15 < sum(verdicts) / len(verdicts) < 0.85


@pytest.mark.parametrize(
    "schema, value",
    [
        ({"type": "integer"}, 1.0),
        ({"type": "integer"}, 1.5),
        ({"type": "integer"}, True),
        ({"type": "number"}, False),
        ({"type": "number"}, 2),
        ({"type": ["string", "null"]}, None),
        ({"type": ["string", "null"]}, 0),
        ({"const": True}, 1),
        ({"const": 1}, True),
        ({"const": 1}, 1.0),
        ({"const": "user"}, "user"),
        ({"const": None}, None),
        ({"const": None}, False),
        ({"properties": {"a": {"type": "string"}}}, 5),
        ({"properties": {"a": {"type": "string"}}}, {"a": 5}),
        ({"properties": {"a": {"type": "string"}}}, {"b": 5}),
        ({"required": ["a"]}, []),
        ({"required": ["a"]}, {}),
        ({"items": {"type": "string"}}, "abc"),
        ({"items": {"type": "string"}}, ["a", 1]),
        ({"items": False}, []),
        ({"items": False}, [1]),
        ({"oneOf": [{"type": "number"}, {"type": "integer"}]}, 1),
        ({"oneOf": [{"type": "number"}, {"type": "integer"}]}, 1.5),
        ({"oneOf": [{"type": "number"}, {"type": "integer"}]}, "1"),
        ({"patternProperties": {"[0-9]": {"type": "null"}}}, {"ab3": 1}),
        ({"patternProperties": {"[0-9]": {"type": "null"}}}, {"abc": 1}),
        ({}, object()),
        (UNION, {"kind": "a", "n": 1}),
        (UNION, {"kind": "a", "n": "1"}),
        (UNION, {"kind": "b", "n": "1"}),
        (UNION, {"kind": "c"}),
        (UNION, {"kind": 1}),
        (UNION, {"n": 1}),  # no key: every alternative is checked, two fit
        (UNION, {"m": 1}),
        (UNION, 5),
        (UNION, [1]),
        (True, 1),
        (False, 1),
    ],
)
def test_each_keyword_means_what_it_means_to_jsonschema(schema, value):
    assert compile_schema(schema)(value) == Draft202012Validator(schema).is_valid(value)


@pytest.mark.parametrize(
    "schema",
    [
        {"enum": [1]},
        {"$ref": "#/x"},
        {"items": [{"type": "string"}]},
        {"type": "any"},
        {"const": [1, 2]},
        {"properties": {"a": {"minimum": 3}}},
        [],
    ],
)
def test_a_keyword_it_does_not_know_is_refused(schema):
    with pytest.raises(Unsupported):
        compile_schema(schema)


def test_the_remote_action_check_passes_a_fitting_answer_without_jsonschema(
    story_event_lists, monkeypatch
):
    class NotCalled:
        def validate(self, _value):
            raise AssertionError("jsonschema was asked about an answer that fits")

    action_client._checkers()
    monkeypatch.setattr(action_client, "_validator", NotCalled())
    action = RemoteAction("validate_wage_status_form", EndpointConfig("http://127.0.0.1:9/x"))
    for answer in _answers(story_event_lists)[:50]:
        assert action_client._validate_action_result(action, answer) is True


def test_a_misfit_answer_gets_rasas_error():
    action = RemoteAction("validate_wage_status_form", EndpointConfig("http://127.0.0.1:9/x"))
    with pytest.raises(ValidationError) as raised:
        action_client._validate_action_result(
            action, {"events": [{"event": "slot", "value": 1}], "responses": []}
        )
    assert "Failed to validate Action server response" in raised.value.message
    assert "'name' is a required property" in raised.value.message or "not valid under" in (
        raised.value.message
    )
