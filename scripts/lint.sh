#!/usr/bin/env bash
# The lint and type gates (`make lint`; `make test` runs them first): ruff check, ruff format
# --check and mypy, all configured in pyproject.toml. Every gate runs; the exit status is 1
# when any of them fails. Fix with `.venv-tools/bin/ruff check --fix .` and
# `.venv-tools/bin/ruff format .`.
set -uo pipefail
cd "$(dirname "$0")/.."
TOOLS=.venv-tools/bin
status=0
mkdir -p var/cache
echo "== ruff check"
$TOOLS/ruff check --quiet . || status=1
echo "== ruff format --check"
$TOOLS/ruff format --check --quiet . || { status=1; echo "run: $TOOLS/ruff format ." >&2; }
echo "== mypy"
PYTHONPATH=$PWD $TOOLS/python -m mypy || status=1
exit $status
