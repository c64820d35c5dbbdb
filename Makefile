# Two commands do everything on a fresh machine:
#   make run   - create the venv, train if data/config changed, start everything
#   make test  - the same set-up, then every test
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.10 (Rasa 3.6 needs it): PYTHON310=... wins, then python3.10 on PATH,
# then pyenv's 3.10.x.
PYTHON310 ?= $(shell \
  for c in python3.10 "env PYENV_VERSION=3.10.13 python3.10"; do \
    p=$$($$c -c 'import sys; assert sys.version_info[:2]==(3,10); print(sys.executable)' 2>/dev/null) && { echo $$p; exit 0; }; \
  done; \
  r=$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv); ls -d $$r/versions/3.10.*/bin/python 2>/dev/null | tail -n 1)

VENV    := .venv
PY      := $(VENV)/bin/python
RASA    := $(VENV)/bin/rasa
MODEL   := models/fraudbot.tar.gz
VENDOR  := bot/web/static/vendor
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)

# No answer text is a training input: domain.yml holds one placeholder per topic
# key (see `responses`), the answers are read from data/knowledge at run time, so
# editing an answer retrains nothing.  The quiz bank is not trained on either.
# The folders too: deleting a training file changes its folder's time, so the model retrains.
# The code of the components that shape training (fold, pinyin, classifier) too: Rasa caches a
# trained node by config and inputs, so each also puts its code's hash in its fingerprint.
TRAIN_INPUTS := config.yml domain.yml data/rules.yml data/stories.yml data/nlu data/dictionary \
                $(shell find data/nlu data/dictionary -type f 2>/dev/null) \
                bot/normalise.py bot/rasa/normaliser.py bot/rasa/pinyin_reader.py bot/rasa/topic_classifier.py \
                bot/situation/nlp.py

.PHONY: help install responses train run run-replicas test test-replicas test-browser validate test-stories nlu-report bench-nlu eval \
        browser-deps quiz-check synthetic retention ingest bench bench-quick bench-event bench-dashboard clean

help:
	@echo "make run      set up (first time), train if needed, start everything on SQLite"
	@echo "make test     set up, then run every test"
	@echo "make run-replicas   the production profile (deploy/production.env) on one machine"
	@echo "make nlu-report   accuracy per voice and per topic on the held-out sets, in reports/"
	@echo "make eval     ask the running assistant the public sample questions"

# --- set-up -----------------------------------------------------------------

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found: install it or pass PYTHON310=/path/to/python3.10"; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip==24.0
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENDOR)/.installed: bot/web/package.json bot/web/package-lock.json
	cd bot/web && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp bot/web/node_modules/socket.io-client/dist/socket.io.min.js $(VENDOR)/
	cp bot/web/node_modules/chart.js/dist/chart.umd.js $(VENDOR)/chart.umd.js
	touch $@

install: $(VENV)/.installed $(VENDOR)/.installed

# domain.yml lists one retrieval placeholder per knowledge topic, generated from the files.
responses: | $(VENV)/.installed
	$(PY) -m bot.knowledge.topics export

$(MODEL): $(TRAIN_INPUTS) | $(VENV)/.installed
	$(PY) -m benchmarks.train_time -- $(RASA) train --fixed-model-name fraudbot --out models
	touch $@

train: responses $(MODEL)

run: install train
	$(PY) -m bot.run.launcher

# Production profile on one machine: PostgreSQL, Redis, Rasa and action replicas.
run-replicas: install train
	@test -f deploy/production.env || { echo "copy deploy/production.env.example to deploy/production.env and fill it in"; exit 1; }
	$(PY) -m bot.run.cluster --env-file deploy/production.env

# --- tests --------------------------------------------------------------------

browser-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list 2>/dev/null | grep -qi -E "wqy|noto.*cjk" || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null; }

quiz-check: install
	$(PY) -m bot.quiz.bank

validate: install responses
	$(RASA) data validate --fail-on-warnings

test-stories: train
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/core

# The PostgreSQL and Redis tests run whenever those services answer on this machine
# (.ci/services.sh), as in CI; otherwise they skip and one line says how to run them.
test: install train browser-deps quiz-check validate test-stories
	env $$(bash .ci/services.sh $(PY)) $(PY) -m pytest

test-replicas: install train
	$(PY) -m pytest tests/integration/test_replicas.py tests/integration/test_faults.py tests/bot/rasa/test_lock_store.py -q

test-browser: install train browser-deps
	$(PY) -m pytest -m browser

# Accuracy per voice and per topic on the held-out sets, as the answer action answers.
nlu-report: train
	$(PY) -m bot.tools.nlu_eval --model $(MODEL) --out reports
	$(PY) -m bot.tools.situation_eval tests/nlu/situations/heldout.yml --report reports/situations_heldout.md
	$(PY) -m bot.tools.situation_eval tests/nlu/situations/heldout_b.yml --report reports/situations_heldout_b.md
	$(PY) -m bot.tools.situation_eval tests/nlu/situations/heldout_c.yml --report reports/situations_heldout_c.md

# Training time from scratch, retraining after an answer edit and after a new example,
# serving RSS and readiness, against the DIET + ResponseSelector pipeline of 4b2962e.
bench-nlu: install
	$(PY) -m benchmarks.nlu_pipeline --baseline-rev 4b2962e

eval:
	$(PY) ../shared/eval/run_cases.py ../shared/eval/sample_cases.yaml
	$(PY) ../shared/eval/run_dialogues.py ../shared/eval/sample_dialogues.yaml

# --- reporting ------------------------------------------------------------------

ingest: install
	$(PY) -m bot.reporting.ingest

retention: install
	$(PY) -m bot.privacy.retention --prune-rasa

synthetic: install
	$(PY) -m bot.tools.synthetic --conversations 20000 --quiz-attempts 3000 --events 40

bench-dashboard: install
	$(PY) -m benchmarks.dashboard_bench

# Every benchmark, one after another (never two at once on 2 cores): load models with
# both baselines and the replica profile, 500 event participants, dashboard at 1M turns.
bench: install train
	$(PY) -m benchmarks.run_all
	$(PY) -m benchmarks.event_capacity
	$(PY) -m benchmarks.dashboard_bench

bench-event: install train
	$(PY) -m benchmarks.event_capacity

bench-quick: install train
	$(PY) -m benchmarks.run_all --quick

clean:
	rm -rf models/*.tar.gz results reports .pytest_cache
