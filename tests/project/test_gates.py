"""The gates of `make test` stay in place: lint and types first, and "no tests ran" fails."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import tomli as tomllib  # Python 3.10: tomllib arrives with 3.11

ROOT = Path(__file__).resolve().parents[2]


def test_pyproject_configures_ruff_and_mypy():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    lint = config["tool"]["ruff"]["lint"]
    assert {"E", "F", "W", "I", "B", "UP"} <= set(lint["select"])
    assert "format" in config["tool"]["ruff"]
    assert {"actions", "channels", "portal_client", "sathi", "bot_store"} <= set(
        config["tool"]["mypy"]["files"]
    )
    tools = (ROOT / "requirements-tools.txt").read_text()
    assert re.search(r"^ruff==", tools, re.M) and re.search(r"^mypy==", tools, re.M)


def test_make_test_runs_the_lint_gates_before_pytest():
    script = (ROOT / "scripts/run-tests.sh").read_text()
    assert "scripts/lint.sh" in script
    assert script.index("scripts/lint.sh") < script.index("-m pytest")
    lint = (ROOT / "scripts/lint.sh").read_text()
    for gate in ("ruff check", "ruff format --check", "mypy"):
        assert gate in lint, gate


def test_no_tests_collected_is_a_failure(tmp_path):
    """pytest's exit code 5 ("no tests ran") must not pass as green in scripts/run-tests.sh."""
    script = (ROOT / "scripts/run-tests.sh").read_text()
    block = script[script.index("$PY -m pytest ") : script.index("[ $rc -eq 0 ] || status=1")]
    probe = tmp_path / "probe.sh"
    probe.write_text(
        "status=0\nPY=false_python\nfalse_python() { return 5; }\n"
        + block
        + "[ $rc -eq 0 ] || status=1\nexit $status\n"
    )
    done = subprocess.run(["bash", str(probe)], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "no tests" in done.stderr


def _pytest_arguments(tmp_path, environment: dict[str, str]) -> list[str]:
    """The arguments scripts/run-tests.sh gives pytest (its pytest block run with a stand-in)."""
    script = (ROOT / "scripts/run-tests.sh").read_text()
    block = script[script.index("workers=") : script.index("rc=$?")]
    probe = tmp_path / "probe.sh"
    probe.write_text(
        'PY=show\nshow() { shift 2; printf "%s\\n" "$@"; }\n' + block + "\n", encoding="utf-8"
    )
    done = subprocess.run(
        ["bash", str(probe), "tests/x"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **environment},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_pytest_runs_in_two_workers_a_file_per_worker_unless_told(tmp_path):
    assert _pytest_arguments(tmp_path, {}) == ["-n", "2", "--dist", "loadfile", "tests/x"]
    assert _pytest_arguments(tmp_path, {"TEST_WORKERS": "3"})[:2] == ["-n", "3"]
    assert _pytest_arguments(tmp_path, {"TEST_WORKERS": "1"}) == ["tests/x"]
    assert _pytest_arguments(tmp_path, {"TEST_WORKERS": "x"}) == ["tests/x"]
