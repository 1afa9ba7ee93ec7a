"""Whether two domains are the same once Rasa has merged them: intents, entities, slots,
forms, actions, responses and session config. For moving domain entries between files
(domain/ is one file per service, see docs/adding-a-service.md):

    git show main:domain.yml > /tmp/before.yml      # or a copy of domain/ before the move
    python -m tools.compare_domains /tmp/before.yml domain

Exit status 0 when they are the same, 1 (with what differs) otherwise."""

from __future__ import annotations

import sys


def differences(before: str, after: str) -> list[str]:
    from rasa.shared.core.domain import Domain

    a, b = Domain.load(before), Domain.load(after)
    found = []
    for name, left, right in (
        ("intents", set(a.intents), set(b.intents)),
        ("entities", set(a.entities), set(b.entities)),
        (
            "slots",
            {s.name: s.persistence_info() for s in a.slots},
            {s.name: s.persistence_info() for s in b.slots},
        ),
        ("forms", a.forms, b.forms),
        ("actions", set(a.user_actions), set(b.user_actions)),
        ("responses", a.responses, b.responses),
        ("session config", a.session_config, b.session_config),
    ):
        if left != right:
            if isinstance(left, (set, dict)):
                only_left = sorted(set(left) - set(right))
                only_right = sorted(set(right) - set(left))
                changed = sorted(
                    k
                    for k in set(left) & set(right)
                    if isinstance(left, dict) and left[k] != right[k]
                )
                found.append(
                    f"{name}: only before {only_left}, only after {only_right}, changed {changed}"
                )
            else:
                found.append(f"{name}: {left!r} != {right!r}")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    found = differences(*argv)
    for line in found:
        print(line)
    if not found:
        print("same domain")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
