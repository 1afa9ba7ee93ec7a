"""Every environment variable the tree names is a setting of sathi/settings.py, .env.example is
exactly what `python -m tools.env_example` makes of the settings, and no secret value is
committed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from sathi.settings import NAMES, Settings
from tools.env_example import render

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = [
    "actions",
    "bot_store",
    "channels",
    "operator_console",
    "portal_backend",
    "portal_client",
    "sathi",
    "sathi_nlu",
    "sathi_dialogue",
    "tools",
    "scripts",
    "deploy",
]
CODE_FILES = [
    "Makefile",
    "endpoints.yml",
    "endpoints.production.yml",
    "credentials.yml",
    "credentials.production.yml",
]
SUFFIXES = {".py", ".sh", ".yml", ".yaml", ""}
VARIABLE = re.compile(r"\b((?:SATHI|WHATSAPP)_[A-Z0-9_]*[A-Z0-9])\b")
# Names that are not settings: the checkout folder make/stack.sh export for the processes'
# working paths, and a shell-local variable of stack.sh.
NOT_SETTINGS = {"SATHI_HOME", "SATHI_LOG_FLAGS"}


def documented() -> dict:
    text = (ROOT / ".env.example").read_text()
    return dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", text, re.MULTILINE))


def named_by_the_tree() -> dict[str, str]:
    found: dict[str, str] = {}
    paths = [p for d in CODE_DIRS for p in (ROOT / d).rglob("*") if p.is_file()]
    paths += [ROOT / f for f in CODE_FILES]
    for path in paths:
        if path.suffix not in SUFFIXES or "__pycache__" in path.parts:
            continue
        for name in VARIABLE.findall(path.read_text(encoding="utf-8", errors="replace")):
            found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def test_every_variable_the_tree_names_is_a_setting():
    found = named_by_the_tree()
    assert len(found) > 60, "the scan found too few variables: is it still looking in the tree?"
    missing = {
        name: where
        for name, where in found.items()
        if name not in NAMES and name not in NOT_SETTINGS
    }
    assert not missing, f"add these to sathi/settings.py: {missing}"


def test_env_example_is_generated_from_the_settings():
    assert (ROOT / ".env.example").read_text() == render(), (
        "regenerate it: python -m tools.env_example > .env.example"
    )


def test_env_example_lists_every_setting_with_its_default():
    listed = documented()
    assert set(listed) == set(NAMES)
    for variable in Settings.variables():
        assert listed[variable.env] == ("" if variable.secret else variable.default), variable.env
        assert variable.description, f"{variable.env} has no description"


def test_env_example_carries_no_secret_values():
    secrets = ("SERVICE_KEY", "TOKEN", "SECRET", "PASSWORD")
    checked = 0
    for name, value in documented().items():
        if any(word in name for word in secrets):
            assert value.strip() == "", f"{name} must be empty in .env.example"
            checked += 1
    assert checked >= 9


def test_every_secret_is_a_secret_setting():
    secret_names = {v.env for v in Settings.variables() if v.secret}
    for name in NAMES:
        if any(word in name for word in ("SERVICE_KEY", "TOKEN", "SECRET", "PASSWORD")):
            assert name in secret_names, f"{name} must be a SecretStr"


def test_no_env_file_is_committed():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "sathi/settings.py" in tracked.splitlines(), "git ls-files listed nothing useful"
    assert not re.search(r"(^|/)\.env$", tracked, re.MULTILINE)
