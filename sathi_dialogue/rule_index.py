"""The rule keys of a RulePolicy lookup table, parsed once and grouped by the action their
last state follows (docs/performance.md, round 4).

Rasa's `RulePolicy._get_possible_keys` checks every rule key against the conversation's
latest state, and `_is_rule_applicable` parses the key's JSON again for every check: for
110 rules, two lookup tables and two or three predictions a turn, most of the policies' CPU.
A rule whose latest state follows action X after intent I can only apply when the
conversation's latest state follows X after I too (Rasa's `_does_rule_match_state` compares
every feature the rule's state sets, the previous action's `action_name` and the user's
`intent` among them), so only those keys, the keys of conversation starts and the keys that
name no previous action or no intent need checking. Every candidate is still checked with Rasa's own
`_is_rule_applicable`, on every state, so the result is the same set of keys.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable

from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.domain import State
from rasa.shared.nlu.constants import ACTION_NAME, INTENT


def _named(sub_state: dict | None, feature: str) -> str | None:
    """The value a rule's sub-state requires for `feature`, if it requires one."""
    value = (sub_state or {}).get(feature)
    return value if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET else None


class RuleKeyIndex:
    """One lookup table's keys: parsed states, and candidates for a conversation state."""

    def __init__(
        self, lookup: dict[str, str], parse: Callable[[str], list[State]] = json.loads
    ) -> None:
        """`parse`: a key's states (the policy passes its own parse-once cache)."""
        self.keys = frozenset(lookup)
        self.states: dict[str, list[State]] = {key: parse(key) for key in lookup}
        self.longest = max((len(states) for states in self.states.values()), default=0)
        # keys whose last state follows action X after intent I: _after[X][I]; I None: any
        self._after: dict[str, dict[str | None, list[str]]] = defaultdict(lambda: defaultdict(list))
        self._starts: list[str] = []  # keys whose last state is a conversation start
        self._any: list[str] = []  # keys that must be checked whatever the state
        for key, states in self.states.items():
            if not states:
                self._any.append(key)
                continue
            previous = states[-1].get(PREVIOUS_ACTION)
            if not previous:
                self._starts.append(key)
                continue
            name = _named(previous, ACTION_NAME)
            if name is None:
                self._any.append(key)
            else:
                self._after[name][_named(states[-1].get(USER), INTENT)].append(key)

    def still_describes(self, lookup: dict[str, str]) -> bool:
        return self.keys == lookup.keys()

    def candidates(self, latest: State) -> list[str]:
        """The keys that may apply to a conversation whose latest state is `latest`: every
        other key fails Rasa's check of the latest state."""
        previous = latest.get(PREVIOUS_ACTION)
        if not previous:
            return self._starts + self._any
        after = self._after.get(previous.get(ACTION_NAME))
        if after is None:
            return self._any
        intent = (latest.get(USER) or {}).get(INTENT)
        named = after.get(intent, []) if intent is not None else []
        return named + after.get(None, []) + self._any
