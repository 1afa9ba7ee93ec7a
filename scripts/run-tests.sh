#!/usr/bin/env bash
# Runs every test: rasa data validate, pytest (unit + integration against a test stack of its
# own on other ports, state in var/test), and the Rasa test stories.
# pytest runs in TEST_WORKERS processes (pytest-xdist, default 2: this machine's cores;
# 1 runs in this process). A test file stays in one worker (--dist loadfile): its module
# stacks start once; each worker starts its own session stack (free ports, own state folder).
set -uo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false SANIC_NO_UVLOOP=true TF_CPP_MIN_LOG_LEVEL=3 PYTHONPATH=$PWD
PY=.venv/bin/python
RASA=.venv/bin/rasa
status=0

mkdir -p var/test
echo "== lint (ruff, mypy)"
scripts/lint.sh || status=1

echo "== rasa data validate"
if $RASA data validate --domain domain --fail-on-warnings >var/test/validate.log 2>&1; then
  echo "data valid"
else
  status=1; grep -v "is not used in any story or rule" var/test/validate.log | tail -40
fi

echo "== pytest"
workers=${TEST_WORKERS:-2}
if [ "$workers" -gt 1 ] 2>/dev/null; then parallel=(-n "$workers" --dist loadfile); else parallel=(); fi
$PY -m pytest "${parallel[@]}" "$@"
rc=$?
if [ $rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose" >&2; rc=1; fi
[ $rc -eq 0 ] || status=1

if ls tests/stories/*.yml >/dev/null 2>&1; then
  echo "== rasa test (stories)"
  $RASA test core --model models/sathi.tar.gz --stories tests/stories --fail-on-prediction-errors \
     --out var/test/results --quiet >var/test/core.log 2>&1 || { status=1; tail -40 var/test/core.log; cat var/test/results/failed_test_stories.yml 2>/dev/null | head -80; }
fi
exit $status
