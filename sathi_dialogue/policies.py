"""Rasa's RulePolicy and MemoizationPolicy, predicting from the prediction-states memo.

Same training, same configuration, same predictions: only `_prediction_states` differs, and it
returns what Rasa's `MaxHistoryTrackerFeaturizer.prediction_states` returns (the memo's copy of
`Domain.states_for_tracker_history`, without `action_unlikely_intent` states for ML data, the
last `max_history`, the last user input chosen by Rasa's own `_choose_last_user_input`).
config.yml names them; `SATHI_PREDICTION_STATES_SENDERS=0` turns the memo off (Rasa's own
computation, for A/B measurements).
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import SupportedData
from rasa.core.policies.rule_policy import (
    RULES,
    RULES_FOR_LOOP_UNHAPPY_PATH,
    RulePolicy,
)
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from sathi.settings import settings
from sathi_dialogue.prediction_states import PredictionStatesMemo
from sathi_dialogue.rule_index import RuleKeyIndex

# Rasa's recipe validator looks for RulePolicy itself (`node.uses == RulePolicy`) and warns that
# default intents (restart, back) would not work: IncrementalRulePolicy is a RulePolicy and
# handles them with RulePolicy's own code.
warnings.filterwarnings(
    "ignore", message="'RulePolicy' is not included in the model's policy configuration"
)

_rule_policy_logger = logging.getLogger("rasa.core.policies.rule_policy")
_memo: PredictionStatesMemo | None = None
_memo_made = False


def prediction_states_memo() -> PredictionStatesMemo | None:
    """The process's memo (None when SATHI_PREDICTION_STATES_SENDERS is 0)."""
    global _memo, _memo_made
    if not _memo_made:
        senders = settings().prediction_states_senders
        _memo = PredictionStatesMemo(senders) if senders > 0 else None
        _memo_made = True
    return _memo


class PredictionStatesFromMemo:
    """`Policy._prediction_states` through the memo (mixed in before a Rasa policy)."""

    featurizer: Any

    def _prediction_states(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        use_text_for_last_user_input: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        memo = prediction_states_memo()
        featurizer = self.featurizer
        if (
            memo is None
            or type(featurizer) is not MaxHistoryTrackerFeaturizer
            or not memo.handles(tracker, domain)
        ):
            return super()._prediction_states(  # type: ignore[misc]
                tracker, domain, use_text_for_last_user_input, rule_only_data
            )
        ml_data = self.supported_data() == SupportedData.ML_DATA  # type: ignore[attr-defined]
        states = memo.prediction_states(
            tracker,
            domain,
            ignore_rule_only_turns=ml_data,
            rule_only_data=rule_only_data,
            max_history=self._states_needed(featurizer.max_history),
            ignore_action_unlikely_intent=ml_data,
        )
        featurizer._choose_last_user_input([states], use_text_for_last_user_input)
        return states

    def _states_needed(self, max_history: int | None) -> int | None:
        """How many of the latest states the policy reads (None or 0: all)."""
        return max_history


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class IncrementalRulePolicy(PredictionStatesFromMemo, RulePolicy):
    """RulePolicy whose prediction states come from the memo, and whose rule keys are parsed
    once and looked up by the latest state's previous action (sathi_dialogue/rule_index.py)."""

    def _rule_index(self, lookup: dict[str, str]) -> RuleKeyIndex:
        indexes = self.__dict__.setdefault("_sathi_rule_indexes", {})
        index = indexes.get(id(lookup))
        if index is None or not index.still_describes(lookup):
            index = indexes[id(lookup)] = RuleKeyIndex(lookup, self._rule_key_to_state)
        return index

    def _rule_key_to_state(self, rule_key: str) -> list[State]:
        parsed = self.__dict__.setdefault("_sathi_parsed_rule_keys", {})
        states = parsed.get(rule_key)
        if states is None:
            states = parsed[rule_key] = super()._rule_key_to_state(rule_key)
        return states

    def _get_possible_keys(self, lookup: dict[str, str], states: list[State]) -> set[str]:
        if not states:
            return super()._get_possible_keys(lookup, states)
        index = self._rule_index(lookup)
        latest = states[-1]
        possible = {
            key for key in index.candidates(latest) if self._is_rule_applicable(key, 0, latest)
        }
        # a key is applicable at every turn index past its own length: look no further back
        # than the longest key still possible
        longest = max((len(index.states[key]) for key in possible), default=0)
        for turn_index in range(1, min(len(states), longest)):
            state = states[-1 - turn_index]
            possible = {key for key in possible if self._is_rule_applicable(key, turn_index, state)}
        return possible

    def _states_needed(self, max_history: int | None) -> int | None:
        """Rasa reads these states in `_find_action_from_rules` only, through
        `_get_possible_keys`, which looks back no further than the longest rule: that many of
        the latest states give the same keys as the whole session, without copying it."""
        longest = max(
            (
                self._rule_index(table).longest
                for name, table in self.lookup.items()
                if name in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH) and table
            ),
            default=0,
        )
        if not longest:
            return max_history
        return min(max_history, longest) if max_history else longest

    def format_tracker_states(self, states: list[State]) -> str:
        """Rasa formats (and deep-copies) every prediction's states for a debug log line even
        when debug logging is off: only when it is on, here."""
        if not _rule_policy_logger.isEnabledFor(logging.DEBUG):
            return ""
        return super().format_tracker_states(states)

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        # Rasa's recipe validator checks the fallback action only for RulePolicy itself.
        self.raise_if_incompatible_with_domain(self.config, domain)
        return super().train(training_trackers, domain, **kwargs)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class IncrementalMemoizationPolicy(PredictionStatesFromMemo, MemoizationPolicy):
    """MemoizationPolicy whose prediction states come from the memo."""
