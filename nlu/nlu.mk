# Rasa NLU: its own virtual environment on Python 3.10 (Rasa 3.6 does not run on
# 3.11+), a model trained only when its inputs changed, a server, an evaluation.
# Included by the top Makefile; paths are relative to the repository root.

# RASA_PYTHON overrides; otherwise python3.10 on PATH, then pyenv's 3.10.x.
RASA_PYTHON ?= $(shell scripts/find-python 3.10)
RASA_PORT ?= 5005

NLU_DIR := nlu
NLU_VENV := $(NLU_DIR)/.venv
NLU_VENV_STAMP := $(NLU_VENV)/.installed
NLU_PIP_VERSION := 24.3.1
# The trained model lives in the model cache, named by a hash of its inputs
# (bot/nlu/model_store.py); Rasa's command line and environment are in
# bot/nlu/rasa_command.py. This file only builds the venv and calls those two.
NLU_STORE := $(BOT_PY) -m bot.nlu.model_store
NLU_BACKGROUND_LOG := $(NLU_DIR)/background.log

.PHONY: nlu nlu-venv nlu-background nlu-status nlu-server nlu-eval nlu-training-cost nlu-seed-spread nlu-clean

# The venv is made from scratch whenever the pins change, so it is exactly what
# nlu/requirements.txt says (also on a machine where one was made by hand).
# Built under a lock (`make run` builds it in the background while `make test` may
# want it too); whoever waited finds it done.
$(NLU_VENV_STAMP): $(NLU_DIR)/requirements.txt
	@test -n "$(RASA_PYTHON)" || { echo "Python 3.10 not found: install it (e.g. pyenv install 3.10) or set RASA_PYTHON=/path/to/python3.10" >&2; exit 1; }
	@flock $(NLU_DIR)/.venv.lock sh -c '[ $@ -nt $(NLU_DIR)/requirements.txt ] && exit 0; set -e; \
		echo "Installing Rasa into $(NLU_VENV) (a few minutes)..."; \
		rm -rf $(NLU_VENV); \
		$(RASA_PYTHON) -m venv $(NLU_VENV); \
		$(NLU_VENV)/bin/python -m pip install -q pip==$(NLU_PIP_VERSION); \
		$(NLU_VENV)/bin/python -m pip install -q -r $(NLU_DIR)/requirements.txt; \
		touch $@'


nlu-venv: $(NLU_VENV_STAMP) ## the Rasa virtual environment (Python 3.10)

# Trains only when no model from the same inputs is in the cache (a second clone,
# CI on the same machine and `make test` after `make run` reuse it). When another
# process is training the same model, waits for it instead of training twice.
nlu: $(NLU_VENV_STAMP) $(BOT_STAMP) ## train the NLU model unless one from the same inputs is cached
	@$(NLU_STORE) train

# `make run` starts the bot at once and this in the background; the bot picks the
# model up when it is ready. Progress: `make nlu-status`, or the log below.
nlu-background: $(BOT_STAMP) ## venv + training in the background (make run does this)
	@$(NLU_STORE) status | grep -q '^cached' || { \
		nohup $(MAKE) -s nlu > $(NLU_BACKGROUND_LOG) 2>&1 < /dev/null & \
		echo "NLU: setting up and training in the background (progress: make nlu-status; log: $(NLU_BACKGROUND_LOG))"; }

nlu-status: $(BOT_STAMP) ## is the NLU model cached, being trained (with progress), or missing
	@$(NLU_STORE) status

# Serves the model on 127.0.0.1:$(RASA_PORT) in the foreground; Ctrl-C stops it.
nlu-server: nlu ## serve the NLU model on RASA_PORT
	$(NLU_VENV)/bin/python bot/nlu/rasa_command.py serve --model "$$($(NLU_STORE) path)" --port $(RASA_PORT)

# Held-out evaluation: per-language and per-intent figures into nlu/results/.
nlu-eval: nlu ## evaluate the model on the held-out sentences
	$(BOT_PY) scripts/nlu_eval.py

# What each DIET of the seed ensemble buys against its training minutes, for
# configuration variants (VARIANTS="shipped e20"): nlu/results/training_cost.md.
nlu-training-cost: nlu ## held-out F1 of 1..n ensemble members against training minutes
	$(BOT_PY) scripts/nlu_training_cost.py $(or $(VARIANTS),shipped)

# The same evaluation for models trained with other seeds (same data and config):
# how far a language's figure moves by chance. Into nlu/results/seed_spread.md.
# SEEDS="2024,7,99 1,2,3": one comma-separated set per model, a seed per DIET.
nlu-seed-spread: nlu ## the same evaluation over models trained with other seeds
	$(BOT_PY) scripts/nlu_seed_spread.py $(SEEDS)

nlu-clean: $(BOT_STAMP) ## delete the cached models of this clone's inputs and the clone's scratch models
	rm -rf $(NLU_DIR)/models $(NLU_DIR)/.rasa-cache
	@$(NLU_STORE) forget
