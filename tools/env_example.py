"""Writes .env.example from the settings object (sathi/settings.py), the one source of truth.

    python -m tools.env_example > .env.example

tests/project/test_configuration_documented.py fails when the file and the settings differ.
"""

from __future__ import annotations

import sys
import textwrap

from sathi.settings import Settings

HEADER = """\
# Sathi configuration, GENERATED from sathi/settings.py by `python -m tools.env_example`:
# do not edit by hand. Copy to .env (never commit it); scripts/stack.sh reads it.
# An empty value means the default. In the trainers' profile every secret left empty is
# generated once into $SATHI_VAR/run/; the production profile refuses to start without the
# variables marked [required in production].
"""


def render() -> str:
    out = [HEADER]
    group = None
    for variable in Settings.variables():
        if variable.group != group:
            group = variable.group
            out.append(f"\n# --- {group} " + "-" * max(3, 86 - len(group)) + "\n")
        notes = variable.description
        if variable.required_in_production:
            notes += " [required in production]"
        out.extend(f"# {line}\n" for line in textwrap.wrap(notes, 94))
        out.append(f"{variable.env}={'' if variable.secret else variable.default}\n")
    return "".join(out)


if __name__ == "__main__":
    sys.stdout.write(render())
