# Raise My Case — two commands matter: `make run` and `make test`.
# Everything else here is what those two need, set up from the repo's own files.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.11 for the bot: PYTHON overrides; otherwise python3.11 on PATH, then pyenv.
PYTHON ?= $(shell scripts/find-python 3.11)
VENV := .venv
BOT_PY := $(VENV)/bin/python
BOT_STAMP := $(VENV)/.installed

.PHONY: help setup run chat test test-fast test-postgres test-load lint bench catalogs extract-messages update-catalogs letters review

# Every target says what it does after "##"; `make help` lists them all, one line each.
help: ## this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/\1\t\2/' \
		| awk -F'\t' '{ printf "make %-18s %s\n", $$1, $$2 }'

# Two `make run` at once must not build one venv twice over each other: the build
# holds a lock, and whoever waited finds the venv done.
$(BOT_STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 not found: install it or set PYTHON=/path/to/python3.11" >&2; exit 1; }
	@flock .venv.lock sh -c '[ $@ -nt pyproject.toml ] && exit 0; set -e; \
		$(PYTHON) -m venv $(VENV); \
		$(BOT_PY) -m pip install -q --upgrade pip; \
		$(BOT_PY) -m pip install -q -e ".[dev]"; \
		touch $@'

# Compiled catalogs (.mo) are build output, made from the committed .po files.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
translations/%.mo: translations/%.po $(BOT_STAMP)
	$(VENV)/bin/pybabel compile -i $< -o $@

catalogs: $(MO_FILES) ## compile the translation catalogs (.po -> .mo)

# Re-extract the English source texts into messages.pot and merge them into every .po.
extract-messages: $(BOT_STAMP) ## re-extract the English source texts into messages.pot
	$(VENV)/bin/pybabel extract --no-default-keywords -k t:1c,2 -k gap:1c,2 -k tn:1c,2,3 -F babel.cfg \
		--project "Raise My Case" --copyright-holder "Raise My Case contributors" \
		--no-location --sort-output -o translations/messages.pot .
update-catalogs: extract-messages ## extract, then merge new texts into every catalog
	$(VENV)/bin/pybabel update --no-fuzzy-matching --no-location --width 100 \
		-i translations/messages.pot -d translations
	$(BOT_PY) scripts/catalogs.py english
	$(BOT_PY) scripts/catalogs.py headers

setup: $(BOT_STAMP) catalogs nlu ## both virtual environments, the catalogs and the NLU model

# The bot answers as soon as its own venv is there. The first time, Rasa's venv and
# the model are built in the background and typed messages get buttons until then;
# the bot starts understanding them by itself when the model is ready.
run: $(BOT_STAMP) catalogs ## set up and start the bot (terminal chat without TELEGRAM_BOT_TOKEN)
	@$(MAKE) -s nlu-background
	$(BOT_PY) -m bot run

chat: $(BOT_STAMP) catalogs ## the terminal chat only
	$(BOT_PY) -m bot chat

# Style is ruff's lint rules; line wrapping is by hand (no formatter), for readable prose.
lint: $(BOT_STAMP) ## ruff
	$(VENV)/bin/ruff check .

# The tests that need no Rasa run while the model trains (when it must); then the
# rest, against the real server. One pytest worker per core (pytest-xdist): tests
# keep their files in tmp_path and their servers on free ports, so workers never
# meet; with Rasa, each worker starts a server of its own.
PYTEST_WORKERS := -n auto
test: $(BOT_STAMP) catalogs ## set everything up and run every test but the load test (make test-load)
	@$(MAKE) -s nlu-background
	$(VENV)/bin/ruff check .
	HYPOTHESIS_PROFILE=thorough $(BOT_PY) -m pytest -m "not rasa" $(PYTEST_WORKERS)
	@$(MAKE) -s nlu
	$(BOT_PY) -m pytest -m "rasa and not load" $(PYTEST_WORKERS)

# A thousand people at once against the real Rasa, 5-6 minutes on 2 cores: its own
# command (as test-postgres), which .ci/run runs after make test.
test-load: $(BOT_STAMP) catalogs ## the load test: 1 000 people x 10 messages through the real bot and Rasa
	@$(MAKE) -s nlu
	$(BOT_PY) -m pytest -m load -q -s

test-fast: $(BOT_STAMP) catalogs ## every test that needs no Rasa server, on every core (under a minute)
	$(BOT_PY) -m pytest -m "not rasa" -q $(PYTEST_WORKERS)

# The storage tests (marked `postgres`) again, on a throwaway PostgreSQL server that
# scripts/with-postgres starts on 127.0.0.1 and deletes afterwards (as root it installs
# PostgreSQL when it is missing). Two webhook workers among them sit behind a real
# HAProxy (scripts/find-haproxy: as root it installs it when it is missing).
test-postgres: $(BOT_STAMP) catalogs ## the storage tests on a throwaway PostgreSQL (installs it as root)
	HAPROXY="$$(scripts/find-haproxy)" scripts/with-postgres $(BOT_PY) -m pytest -m postgres -q

bench: setup ## benchmarks: engine, a turn, NLU, update-to-reply through Telegram (a few minutes)
	$(BOT_PY) -m benchmarks

# docs/letters.md: every letter kind for typical cases, for reviewers (a test checks it is current).
letters: $(BOT_STAMP) catalogs ## write docs/letters.md, every letter for a few typical cases
	$(BOT_PY) -m bot.letters_doc

review: $(BOT_STAMP) catalogs ## write build/review/<locale>.md: every screen and letter, per locale
	$(BOT_PY) -m bot.review_doc

include nlu/nlu.mk
