"""One typed settings object (sathi/settings.py): nothing else reads the environment for a
setting, a bad value stops a start with one line naming the variable, and the production
profile's required secrets are the ones scripts/stack.sh refuses to start without."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sathi.settings import Settings, SettingsError, reset_settings, settings

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
]
READS_ENV = re.compile(r"os\.environ|os\.getenv|from os import (environ|getenv)|getenv\(")
# The only other places that touch os.environ, and why. None reads a SATHI_/WHATSAPP_ value:
# they hand the environment on to child processes or set third-party switches.
ALLOWED = {
    "sathi/settings.py": "the one place that reads the settings",
    "tools/local_stack.py": "passes the environment on to the stack it starts (subprocess env)",
    "tools/scale/environment.py": "builds each replica's environment from os.environ minus SATHI_*",
    "tools/scale/nginx.py": "passes the environment on to apt-get (DEBIAN_FRONTEND)",
    "tools/nlu_eval.py": "silences TensorFlow and Rasa telemetry before importing Rasa",
}
READS_A_SETTING = re.compile(r"(environ(\.get)?\(?\[?|getenv\()\s*[\"'](SATHI|WHATSAPP)_")


def test_nothing_outside_the_settings_reads_the_environment():
    offenders, seen = [], set()
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if READS_ENV.search(line):
                    seen.add(rel)
                    if rel not in ALLOWED or READS_A_SETTING.search(line):
                        offenders.append(f"{rel}:{number}: {line.strip()}")
    assert not offenders, "read these through sathi.settings:\n" + "\n".join(offenders)
    assert "sathi/settings.py" in seen, "the scan saw nothing: is it still looking at the tree?"
    assert not set(ALLOWED) - seen, f"no longer needed in ALLOWED: {set(ALLOWED) - seen}"


def test_a_bad_value_is_an_error_naming_the_variable():
    with pytest.raises(SettingsError) as raised:
        Settings.from_mapping(
            {
                "SATHI_LINK_TTL_SECONDS": "soon",
                "SATHI_PROFILE": "staging",
                "SATHI_CHANNEL_SECRET": "hunter2",
                "SATHI_LINK_MAX_USES": "0",
            }
        )
    lines = str(raised.value).splitlines()
    assert lines == [
        "configuration: SATHI_PROFILE='staging' is not valid: unexpected value; permitted: "
        "'trainer', 'production'",
        "configuration: SATHI_LINK_TTL_SECONDS='soon' is not valid: value is not a valid integer",
        "configuration: SATHI_LINK_MAX_USES='0' is not valid: ensure this value is greater than "
        "or equal to 1",
    ]


def test_a_bad_secret_is_named_but_never_shown():
    with pytest.raises(SettingsError) as raised:
        Settings.from_mapping({"SATHI_CLOCK": "not-a-date", "SATHI_REDIS_PORT": "x"})
    assert "SATHI_CLOCK='not-a-date'" in str(raised.value)
    secret = Settings.from_mapping({"SATHI_CHANNEL_SECRET": "hunter2"})
    assert "hunter2" not in repr(secret) and "hunter2" not in str(secret)
    assert secret.channel_secret.get_secret_value() == "hunter2"


def test_empty_means_default_and_values_are_typed():
    config = Settings.from_mapping(
        {
            "SATHI_LINK_TTL_SECONDS": " ",
            "SATHI_DEFERRED_WORKER": "off",
            "SATHI_PORTAL_DEV_ROUTES": "0",
            "SATHI_RATE_OTP": "7",
        }
    )
    assert config.link_ttl_seconds == 900 and config.rate_otp == 7
    assert config.deferred_worker is False and config.portal_dev_routes is False
    assert config.trusted_channels == {"whatsapp", "cmdline", "rest"}
    production = Settings.from_mapping({"SATHI_PROFILE": "production"})
    assert production.trusted_channels == {"whatsapp"} and production.uses_redis_counters


def test_the_cached_settings_follow_a_monkeypatched_environment(monkeypatch):
    monkeypatch.setenv("SATHI_LINK_MAX_USES", "3")
    assert settings().link_max_uses == 3
    monkeypatch.setenv("SATHI_LINK_MAX_USES", "4")
    assert settings().link_max_uses == 4
    monkeypatch.delenv("SATHI_LINK_MAX_USES")
    assert settings().link_max_uses == 1
    os.environ["SATHI_LINK_MAX_USES"] = "5"  # not through monkeypatch: the cache stays ...
    try:
        assert settings().link_max_uses == 1
        reset_settings()  # ... until reset
        assert settings().link_max_uses == 5
    finally:
        del os.environ["SATHI_LINK_MAX_USES"]
        reset_settings()


def _start(module: list, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SATHI_", "WHATSAPP_"))}
    clean.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", *module],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "module",
    [
        ["actions.server", "--port", "9"],
        ["portal_backend", "serve", "--port", "9"],
        ["operator_console", "dashboard", "--port", "9"],
        ["bot_store.retention", "--dry-run"],
        ["bot_store.migrations"],
        ["sathi.settings", "check"],
    ],
)
def test_a_bad_value_stops_each_start_with_one_line(module, tmp_path):
    done = _start(module, SATHI_VAR=str(tmp_path), SATHI_RATE_MESSAGES="twenty")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        "configuration: SATHI_RATE_MESSAGES='twenty' is not valid: value is not a valid integer"
    )


def test_the_rasa_server_start_stops_on_a_bad_value(tmp_path):
    script = (
        "from channels.deferred_delivery import DeferredDeliveryChannel\n"
        "DeferredDeliveryChannel.from_credentials(None)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SATHI_TURN_CONCURRENCY": "many"},
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        "configuration: SATHI_TURN_CONCURRENCY='many' is not valid: value is not a valid integer"
    )


def test_production_requires_the_secrets_the_stack_test_lists():
    from tests.production.test_required_secrets import REQUIRED

    required = [v.env for v in Settings.variables() if v.required_in_production]
    assert sorted(required) == sorted(REQUIRED) and len(required) == 12
    done = _start(["sathi.settings", "production-required"])
    assert done.stdout.split() == required


# scripts/stack.sh fills in a few values per profile where the setting's default is empty:
# the trainers' stand-in phone number id, Meta's Graph URL in production, and the Redis ACL
# user Rasa's lock store logs in as in production.
PROFILE_VALUES = {"WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_GRAPH_URL", "SATHI_REDIS_USERNAME"}


def test_the_stack_script_defaults_are_the_settings_defaults():
    defaults = {v.env: v.default for v in Settings.variables()}
    script = (ROOT / "scripts" / "stack.sh").read_text()
    found = re.findall(r"\$\{((?:SATHI|WHATSAPP)_\w+):-([^}]*)\}", script)
    literal = [(name, value) for name, value in found if "$" not in value]
    assert len(literal) > 15, "stack.sh changed shape: read its defaults again"
    differ = {
        name: (value, defaults.get(name))
        for name, value in literal
        if name not in PROFILE_VALUES and defaults.get(name) != value
    }
    assert not differ, f"stack.sh default vs sathi/settings.py default: {differ}"
