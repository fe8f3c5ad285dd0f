# Raise My Case — two commands matter: `make run` and `make test`.
# Everything else here is what those two need, set up from the repo's own files.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.11 for the bot: PYTHON overrides; otherwise python3.11 on PATH, then pyenv.
PYTHON ?= $(shell scripts/find-python 3.11)
VENV := .venv
BOT_PY := $(VENV)/bin/python
BOT_STAMP := $(VENV)/.installed

.PHONY: help setup run chat test lint bench catalogs extract-messages update-catalogs

help:
	@echo "make run    set everything up and start the bot (terminal chat without TELEGRAM_BOT_TOKEN)"
	@echo "make test   set everything up and run every test"
	@echo "make bench  benchmarks (NLU latency, training time, memory)"

$(BOT_STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 not found: install it or set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BOT_PY) -m pip install -q --upgrade pip
	$(BOT_PY) -m pip install -q -e '.[dev]'
	touch $@

# Compiled catalogs (.mo) are build output, made from the committed .po files.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
translations/%.mo: translations/%.po $(BOT_STAMP)
	$(VENV)/bin/pybabel compile -i $< -o $@

catalogs: $(MO_FILES)

# Re-extract the English source texts into messages.pot and merge them into every .po.
extract-messages: $(BOT_STAMP)
	$(VENV)/bin/pybabel extract --no-default-keywords -k t:1c,2 -k gap:1c,2 -k tn:1c,2,3 -F babel.cfg \
		--project "Raise My Case" --copyright-holder "Raise My Case contributors" \
		--no-location --sort-output -o translations/messages.pot .
update-catalogs: extract-messages
	$(VENV)/bin/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations

setup: $(BOT_STAMP) catalogs nlu

run: setup
	$(BOT_PY) -m bot run

chat: $(BOT_STAMP) catalogs
	$(BOT_PY) -m bot chat

# Style is ruff's lint rules; line wrapping is by hand (no formatter), for readable prose.
lint: $(BOT_STAMP)
	$(VENV)/bin/ruff check .

test: setup
	$(VENV)/bin/ruff check .
	$(BOT_PY) -m pytest

bench: setup
	$(BOT_PY) -m benchmarks

include nlu/nlu.mk
