# syntax=docker/dockerfile:1
#
# Two images from one repository (docker-compose.yml builds both):
#   --target bot   the Telegram bot (Python 3.11); talks to Rasa over HTTP (RASA_URL)
#   --target rasa  the Rasa 3.6 NLU server (Python 3.10), model trained from nlu/ at build time
#
# Untested here (no Docker engine on the build machine): review before relying on it.

# --- the bot ---------------------------------------------------------------------------------
FROM python:3.11-slim AS bot

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies first (from pyproject.toml, the one list), so code changes don't reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The code runs from /app (not installed): bot/i18n.py finds translations/ next to it.
COPY bot ./bot
COPY flows ./flows
COPY translations ./translations
RUN pybabel compile -d translations -D messages
# The language guess (bot/language_guess.py) learns from the NLU's training sentences;
# config.yml marks nlu/ as the project directory for bot/nlu/rasa_command.py.
COPY nlu/data ./nlu/data
COPY nlu/config.yml ./nlu/config.yml

# Not root; the SQLite file, the generated id secret and the heartbeat live in the volume.
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin app \
    && mkdir -p /app/data && chown app:app /app/data
USER app
VOLUME ["/app/data"]

# Polling has no port to probe: the bot touches data/heartbeat every 30 s.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot.telegram.health"]

# Rasa is its own service: never start one inside this container.
CMD ["python", "-m", "bot", "run", "--no-nlu-server"]


# --- the NLU server ------------------------------------------------------------------------------
FROM python:3.10-slim AS rasa

# Rasa's own environment (telemetry off, log level, cache) comes from rasa_command.py,
# the one place that runs Rasa (also for `make nlu` and the bot's local server).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOME=/nlu
WORKDIR /nlu

# The same pins `make nlu` installs (pip pinned too, as nlu/nlu.mk does).
COPY nlu/requirements.txt ./requirements.txt
RUN pip install pip==24.3.1 && pip install -r requirements.txt

# Trained at build time: the image is self-contained and starts serving in seconds.
COPY nlu/config.yml nlu/domain.yml ./
COPY nlu/components ./components
COPY nlu/data ./data
COPY bot/nlu/rasa_command.py ./rasa_command.py
RUN python rasa_command.py train --out models && rm -rf .rasa-cache

RUN useradd --uid 10002 --no-create-home --shell /usr/sbin/nologin rasa \
    && chown -R rasa:rasa /nlu
USER rasa
EXPOSE 5005

# /status answers once a model is loaded (409 before).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import json, sys, urllib.request; status = json.load(urllib.request.urlopen('http://127.0.0.1:5005/status', timeout=4)); sys.exit(0 if status.get('model_file') else 1)"]

# --enable-api exposes /model/parse (and training endpoints): keep this port off the host.
CMD ["python", "rasa_command.py", "serve", "--model", "models/nlu.tar.gz", \
     "--host", "0.0.0.0", "--port", "5005"]
