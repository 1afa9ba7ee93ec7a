"""Every environment variable the code reads is documented in .env.example, and no secret
value is committed."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ["actions", "bot_store", "channels", "operator_console", "portal_backend", "portal_client", "sathi",
             "sathi_nlu", "tools"]
VARIABLE = re.compile(r"[\"']((?:SATHI|WHATSAPP)_[A-Z0-9_]+)[\"']")


def documented() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))


def read_by_code() -> dict[str, str]:
    found = {}
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            for name in VARIABLE.findall(path.read_text(encoding="utf-8")):
                found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def test_every_variable_is_in_env_example():
    missing = {name: where for name, where in read_by_code().items()
               if name not in documented() and not name.endswith("_")}
    assert not missing, f"document these in .env.example: {missing}"


def test_env_example_carries_no_secret_values():
    secrets = ("SERVICE_KEY", "TOKEN", "SECRET", "PASSWORD")
    for line in (ROOT / ".env.example").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            name, value = line.split("=", 1)
            if any(word in name for word in secrets):
                assert value.strip() == "", f"{name} must be empty in .env.example"


def test_no_env_file_is_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout
    assert ".env\n" not in tracked + "\n" or True  # .env is git-ignored
    assert not re.search(r"(^|/)\.env$", tracked, re.MULTILINE)
