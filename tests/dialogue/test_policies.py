"""The policies of config.yml (sathi_dialogue/policies.py) predict exactly what Rasa's
RulePolicy and MemoizationPolicy predict: trained once on the project's data, each prediction
along every story and rule (and random events) is made with the memo and without it (Rasa's own
`_prediction_states`), and the two must be the same in every field."""

from __future__ import annotations

import random

import pytest
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

import sathi_dialogue.policies as policies
from sathi_dialogue.policies import IncrementalMemoizationPolicy, IncrementalRulePolicy
from sathi_dialogue.prediction_states import PredictionStatesMemo
from tests.dialogue.test_prediction_states import _put_back, _user_messages, random_events


def _config_yml_policies() -> dict[str, dict]:
    import yaml

    from tests.dialogue.conftest import ROOT

    config = yaml.safe_load((ROOT / "config.yml").read_text())
    return {p["name"]: {k: v for k, v in p.items() if k != "name"} for p in config["policies"]}


@pytest.fixture(scope="module")
def trained(tmp_path_factory, domain, training_trackers):
    configured = _config_yml_policies()
    storage = LocalModelStorage(tmp_path_factory.mktemp("policies"))
    context = ExecutionContext(GraphSchema({}), "test")
    made = []
    for cls in (IncrementalRulePolicy, IncrementalMemoizationPolicy):
        config = {
            **cls.get_default_config(),
            **configured[f"sathi_dialogue.policies.{cls.__name__}"],
        }
        policy = cls.create(config, storage, Resource(cls.__name__), context)
        policy.train(training_trackers, domain)
        made.append(policy)
    rule_policy, memoization = made
    return rule_policy, memoization, rule_policy._get_rule_only_data()


def test_config_yml_names_the_incremental_policies_with_rasas_parameters():
    configured = _config_yml_policies()
    assert set(configured) == {
        "sathi_dialogue.policies.IncrementalRulePolicy",
        "sathi_dialogue.policies.IncrementalMemoizationPolicy",
    }
    assert issubclass(IncrementalRulePolicy, RulePolicy)
    assert issubclass(IncrementalMemoizationPolicy, MemoizationPolicy)


def _prediction(policy, tracker, domain, rule_only_data):
    return vars(policy.predict_action_probabilities(tracker, domain, rule_only_data=rule_only_data))


def _compare_along(events, sender, trained, domain, monkeypatch) -> int:
    rule_policy, memoization, rule_only_data = trained
    memo = PredictionStatesMemo(max_senders=10)
    tracker = DialogueStateTracker(sender, domain.slots)
    compared = 0
    for event in events:
        tracker.update(event)
        if not isinstance(event, ActionExecuted) and random.random() < 0.7:
            continue
        for policy in (rule_policy, memoization):
            before = _user_messages(tracker.events)
            monkeypatch.setattr(policies, "_memo", memo)
            with_memo = _prediction(policy, tracker, domain, rule_only_data)
            states_with_memo = policy._prediction_states(tracker, domain, True, rule_only_data)
            _put_back(before)
            monkeypatch.setattr(policies, "_memo", None)
            stock = _prediction(policy, tracker, domain, rule_only_data)
            stock_states = policy._prediction_states(tracker, domain, True, rule_only_data)
            assert with_memo == stock, f"{sender} after {len(tracker.events)} events"
            # the rule policy reads no further back than its longest rule: the memo gives it
            # that many of the latest states (all of them to the memoization policy)
            needed = policy._states_needed(policy.featurizer.max_history) or len(stock_states)
            assert states_with_memo == stock_states[-needed:]
            compared += 1
    return compared


def test_predictions_along_every_story_and_rule(trained, domain, story_event_lists, monkeypatch):
    monkeypatch.setattr(policies, "_memo_made", True)
    random.seed(7)
    compared = sum(
        _compare_along(events, name, trained, domain, monkeypatch)
        for name, events in story_event_lists
    )
    assert compared > 500


@pytest.mark.parametrize("seed", range(10))
def test_predictions_along_random_events(seed, trained, domain, monkeypatch):
    monkeypatch.setattr(policies, "_memo_made", True)
    events = random_events(random.Random(1000 + seed), domain, 120)
    assert _compare_along(events, f"random-{seed}", trained, domain, monkeypatch) > 20


def test_zero_senders_means_rasas_own_computation(monkeypatch):
    monkeypatch.setenv("SATHI_PREDICTION_STATES_SENDERS", "0")
    monkeypatch.setattr(policies, "_memo_made", False)
    assert policies.prediction_states_memo() is None
    monkeypatch.setenv("SATHI_PREDICTION_STATES_SENDERS", "7")
    monkeypatch.setattr(policies, "_memo_made", False)
    assert policies.prediction_states_memo().max_senders == 7


def test_rule_keys_found_through_the_index_are_rasas(
    trained, domain, story_event_lists, monkeypatch
):
    """Every lookup of rule keys along every story and rule (and random events) gives the same
    set as Rasa's own `_get_possible_keys`, which checks every key."""
    rule_policy = trained[0]
    checked = []
    indexed = IncrementalRulePolicy._get_possible_keys

    def both(self, lookup, states):
        ours = indexed(self, lookup, states)
        assert ours == RulePolicy._get_possible_keys(self, lookup, states), states
        checked.append(len(ours))
        return ours

    monkeypatch.setattr(IncrementalRulePolicy, "_get_possible_keys", both)
    monkeypatch.setattr(policies, "_memo_made", True)
    random.seed(11)
    for name, events in story_event_lists:
        _compare_along(events, name, trained, domain, monkeypatch)
    for seed in range(3):
        events = random_events(random.Random(2000 + seed), domain, 120)
        _compare_along(events, f"random-{seed}", trained, domain, monkeypatch)
    assert len(checked) > 1000
    assert any(checked), "no rule ever applied: the comparison says nothing"
    assert rule_policy._rule_key_to_state(next(iter(rule_policy.lookup["rules"]))) is (
        rule_policy._rule_key_to_state(next(iter(rule_policy.lookup["rules"])))
    ), "rule keys are parsed once"
