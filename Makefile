# Sathi: the vocabulary of the project. Every target is idempotent. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
RASA      := $(VENV)/bin/rasa
STAMP     := $(VENV)/.installed
# A second small venv for tools whose pins clash with Rasa's (kubernetes-validate: jsonschema>=4.23)
TOOLS_VENV  := .venv-tools
TOOLS_STAMP := $(TOOLS_VENV)/.installed
MODEL     := models/sathi.tar.gz
export RASA_TELEMETRY_ENABLED := false
export SANIC_NO_UVLOOP := true
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONDONTWRITEBYTECODE := 1
export PYTHONPATH := $(CURDIR)
export SATHI_HOME := $(CURDIR)
# A demo citizen's WhatsApp number for `make shell`; override with PHONE=...
PHONE ?=

TRAINING_INPUTS := $(shell find domain -type f -name '*.yml' 2>/dev/null) config.yml $(shell find data -type f -name '*.yml' 2>/dev/null) \
                   $(shell find sathi_nlu sathi_dialogue -name '*.py' 2>/dev/null)

.PHONY: help setup train up down status shell run test bench profile bench-scale scale-up scale-down validate-deploy lock demo-data nlu-eval clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(STAMP): requirements.txt constraints.txt
	@PY310=$$(scripts/find-python310.sh) || exit 1; \
	 [ -x $(PY) ] || $$PY310 -m venv $(VENV); \
	 { $(PY) -m pip install -q --disable-pip-version-check --upgrade 'pip<25' wheel && \
	   $(PY) -m pip install -q --disable-pip-version-check -r requirements.txt -c constraints.txt; } 2>&1 \
	   | { grep -v "is ignored: it is neither a file nor a directory" || true; }
	@touch $@

$(TOOLS_STAMP): requirements-tools.txt
	@PY310=$$(scripts/find-python310.sh) || exit 1; \
	 [ -x $(TOOLS_VENV)/bin/python ] || $$PY310 -m venv $(TOOLS_VENV); \
	 { $(TOOLS_VENV)/bin/python -m pip install -q --disable-pip-version-check --no-deps -r requirements-tools.txt; } 2>&1 \
	   | { grep -v "is ignored: it is neither a file nor a directory" || true; }
	@touch $@

var/data/.demo: $(STAMP) $(shell find portal_backend -name '*.py' 2>/dev/null)
	@mkdir -p var/data var/log var/run
	$(PY) -m portal_backend init-demo
	@touch $@

setup: $(STAMP) var/data/.demo ## virtual env (Python 3.10), dependencies, demo data

demo-data: $(STAMP) ## regenerate the demo dataset from scratch
	$(PY) -m portal_backend init-demo --force
	@touch var/data/.demo

$(MODEL): $(STAMP) $(TRAINING_INPUTS)
	@mkdir -p models
	@mkdir -p var/log
	@echo "training the assistant (log: var/log/train.log)"
	@start=$$(date +%s); \
	 if $(RASA) train --domain domain --fixed-model-name sathi --out models --quiet >var/log/train.log 2>&1; then \
	   echo "trained in $$(( $$(date +%s) - start )) s"; \
	 else tail -40 var/log/train.log; exit 1; fi
	@touch $@

train: $(MODEL) ## train the assistant (only when data, domain or config changed)

up: setup train ## start portal backend, action server and rasa server (idempotent)
	@scripts/stack.sh up

down: ## stop what `make up` started
	@scripts/stack.sh down

status: ## which processes are running
	@scripts/stack.sh status

shell: setup train ## open `rasa shell` as a demo user (PHONE=919800000001 to choose)
	@scripts/stack.sh up
	@scripts/stack.sh shell "$(PHONE)"

run: setup train shell ## set everything up and chat in `rasa shell`

lint: $(STAMP) $(TOOLS_STAMP) ## ruff (lint + format check) and mypy, configured in pyproject.toml
	@scripts/lint.sh
.PHONY: lint

test: setup train $(TOOLS_STAMP) ## run every test (the lint gates first)
	@scripts/run-tests.sh

bench: setup train ## measure turn latency, throughput and memory (on a stack of its own)
	$(PY) -m tools.bench

bench-scale: setup train ## production topology (nginx, N rasa replicas, PostgreSQL, Redis): 1 then 2 replicas at concurrency 8 and 32
	$(PY) -m tools.scale bench $(SCALE_ARGS)

scale-up: setup train ## start the production topology on this machine and leave it running (REPLICAS=2, NO_RATE_LIMIT=1)
	$(PY) -m tools.scale up --replicas $(or $(REPLICAS),2) --action-servers $(or $(ACTION_SERVERS),2) $(if $(NO_RATE_LIMIT),--no-rate-limit,)

scale-down: ## stop what `make scale-up` started
	$(PY) -m tools.scale down

profile: setup train $(TOOLS_STAMP) ## py-spy on a stack of its own while the bench script talks to it: CPU ms per turn by stage
	$(PY) -m tools.profile_turn $(PROFILE_ARGS)

validate-deploy: $(TOOLS_STAMP) ## validate deploy/kubernetes against the Kubernetes schemas (offline)
	$(TOOLS_VENV)/bin/kubernetes-validate --strict --quiet -k $(or $(K8S_VERSION),1.30.0) deploy/kubernetes/*.yaml

lock: ## re-pin constraints.txt from requirements.txt
	$(PY) -m pip freeze --exclude-editable > constraints.txt

clean: down ## remove generated state (venv kept)
	rm -rf var models .rasa

wa-chat: ## chat as a WhatsApp user through the emulator (PHONE=919800000001; needs `make up`)
	@set -a; eval "$$(scripts/stack.sh env)"; set +a; \
	 $(PY) -m tools.wa_chat --phone "$(or $(PHONE),919800000001)"
.PHONY: wa-chat

nlu-eval: $(STAMP) ## NLU quality: held-out sets + 5-fold CV + MASSIVE bn-BD (var/nlu-eval/; NLU_EVAL_ARGS="--massive-folds 5")
	$(PY) -m tools.nlu_eval $(NLU_EVAL_ARGS)

# --- reliability: fuzzing, chaos, retention (issue "keeps working when ...") ---------------
fuzz: setup train ## long hypothesis fuzz run (parsers + conversations against a test stack)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/fuzz -q

chaos: setup train ## WhatsApp load while the portal stops and restarts; prints the figures
	$(PY) -m tools.chaos $(CHAOS_ARGS)

retention: $(STAMP) ## delete data past its retention period (DRY_RUN=1 to only count)
	$(PY) -m bot_store.retention $(if $(DRY_RUN),--dry-run,)
.PHONY: fuzz chaos retention
