# Rasa NLU: its own virtual environment on Python 3.10 (Rasa 3.6 does not run on
# 3.11+), a model trained only when its inputs changed, a server, an evaluation.
# Included by the top Makefile; paths are relative to the repository root.

# RASA_PYTHON overrides; otherwise python3.10 on PATH, then pyenv's 3.10.x.
RASA_PYTHON ?= $(shell scripts/find-python 3.10)
RASA_PORT ?= 5005

NLU_DIR := nlu
NLU_VENV := $(NLU_DIR)/.venv
NLU_VENV_STAMP := $(NLU_VENV)/.installed
NLU_MODELS := $(NLU_DIR)/models
NLU_MODEL := $(NLU_MODELS)/nlu.tar.gz
# What the model is made from: a change to any of these (content, not timestamps,
# so a fresh clone or a branch switch does not retrain for nothing) retrains.
NLU_INPUTS = $(NLU_DIR)/config.yml $(NLU_DIR)/domain.yml $(NLU_DIR)/requirements.txt \
	$(sort $(wildcard $(NLU_DIR)/data/*.yml)) $(sort $(wildcard $(NLU_DIR)/components/*.py))
NLU_HASH_FILE := $(NLU_MODELS)/inputs.sha256
NLU_PIP_VERSION := 24.3.1

# Rasa phones home and TensorFlow is chatty; neither is wanted here. Rasa reads
# LOG_LEVEL, and at DEBUG it logs every message's text: pinned to INFO. Rasa's
# training cache is off: it would turn a comment change into a 30-second
# "training" and make the recorded training time meaningless (a clean clone has
# no cache anyway); its directory is kept out of the work tree all the same.
NLU_ENV := RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 LOG_LEVEL=INFO \
	RASA_MAX_CACHE_SIZE=0 RASA_CACHE_DIRECTORY=models/.cache \
	SQLALCHEMY_SILENCE_UBER_WARNING=1

.PHONY: nlu nlu-venv nlu-server nlu-eval nlu-seed-spread nlu-clean

# The venv is made from scratch whenever the pins change, so it is exactly what
# nlu/requirements.txt says (also on a machine where one was made by hand).
$(NLU_VENV_STAMP): $(NLU_DIR)/requirements.txt
	@test -n "$(RASA_PYTHON)" || { echo "Python 3.10 not found: install it (e.g. pyenv install 3.10) or set RASA_PYTHON=/path/to/python3.10" >&2; exit 1; }
	rm -rf $(NLU_VENV)
	$(RASA_PYTHON) -m venv $(NLU_VENV)
	$(NLU_VENV)/bin/python -m pip install -q pip==$(NLU_PIP_VERSION)
	$(NLU_VENV)/bin/python -m pip install -q -r $(NLU_DIR)/requirements.txt
	touch $@

nlu-venv: $(NLU_VENV_STAMP) ## the Rasa virtual environment (Python 3.10)

# Trains into nlu/models/nlu.tar.gz when the inputs' hash differs from the one the
# last model was trained from; records the training time for `make bench`.
# The archive is written elsewhere and moved in, so a server never loads half a file.
nlu: $(NLU_VENV_STAMP) ## train the NLU model when its inputs changed
	@mkdir -p $(NLU_MODELS)
	@want=$$(sha256sum $(NLU_INPUTS) | sha256sum | cut -d' ' -f1); \
	if [ -f $(NLU_MODEL) ] && [ "$$(cat $(NLU_HASH_FILE) 2>/dev/null)" = "$$want" ]; then \
		echo "NLU model up to date ($(NLU_MODEL))"; exit 0; \
	fi; \
	echo "Training the NLU model (log: $(NLU_MODELS)/train.log)..."; \
	start=$$(date +%s.%N); \
	if ! (cd $(NLU_DIR) && $(NLU_ENV) .venv/bin/rasa train nlu --config config.yml \
		--domain domain.yml --nlu data --out models/.training --fixed-model-name nlu) \
		> $(NLU_MODELS)/train.log 2>&1; then \
		tail -n 40 $(NLU_MODELS)/train.log >&2; echo "NLU training failed" >&2; exit 1; \
	fi; \
	mv -f $(NLU_MODELS)/.training/nlu.tar.gz $(NLU_MODEL); \
	rmdir $(NLU_MODELS)/.training 2>/dev/null || true; \
	echo "$$want" > $(NLU_HASH_FILE); \
	awk -v s=$$start -v e=$$(date +%s.%N) 'BEGIN { printf "%.1f\n", e - s }' \
		> $(NLU_MODELS)/train_seconds.txt; \
	echo "NLU model trained in $$(cat $(NLU_MODELS)/train_seconds.txt) s"

# Serves the model on 127.0.0.1:$(RASA_PORT) in the foreground; Ctrl-C stops it.
nlu-server: nlu ## serve the NLU model on RASA_PORT
	cd $(NLU_DIR) && $(NLU_ENV) exec .venv/bin/rasa run --enable-api \
		--model models/nlu.tar.gz --interface 127.0.0.1 --port $(RASA_PORT)

# Held-out evaluation: per-language and per-intent figures into nlu/results/.
nlu-eval: nlu $(BOT_STAMP) ## evaluate the model on the held-out sentences
	$(BOT_PY) scripts/nlu_eval.py

# The same evaluation for models trained with other seeds (same data and config):
# how far a language's figure moves by chance. Into nlu/results/seed_spread.md.
# SEEDS="2024,7,99 1,2,3": one comma-separated set per model, a seed per DIET.
nlu-seed-spread: nlu $(BOT_STAMP) ## the same evaluation over models trained with other seeds
	$(BOT_PY) scripts/nlu_seed_spread.py $(SEEDS)

nlu-clean: ## delete the trained model (it retrains on the next `make nlu`)
	rm -rf $(NLU_MODELS)
