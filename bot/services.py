"""Building the conversation service from settings: storage, NLU and look-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.conversation import ConversationService
from bot.identity import load_or_create_secret
from bot.language_guess import BackgroundGuesser
from bot.lookups.base import OfflineFinder, RepresentativeFinder
from bot.nlu.base import NluClient, NoNlu
from bot.settings import DATA_DIR, Settings
from bot.storage.conversations import ConversationStore
from bot.storage.db import create_db_engine
from flows.engine import Config


@dataclass
class Services:
    engine: Engine
    conversations: ConversationService
    secret: bytes

    async def aclose(self) -> None:
        await self.conversations.nlu.aclose()
        await self.conversations.finder.aclose()
        self.engine.dispose()


def build_nlu(settings: Settings, *, auth_token: str | None = None) -> NluClient:
    """The NLU client; `auth_token` is the local server's (else RASA_AUTH_TOKEN's)."""
    if not settings.nlu_enabled:
        return NoNlu()
    from bot.nlu.rasa_client import RasaNlu

    token = auth_token or (
        settings.rasa_auth_token.get_secret_value() if settings.rasa_auth_token else None)
    return RasaNlu(settings.effective_rasa_url, timeout_seconds=settings.nlu_timeout_seconds,
                   auth_token=token)


def build_finder(settings: Settings, engine: Engine, secret: bytes) -> RepresentativeFinder:
    if not settings.lookups_enabled:
        return OfflineFinder()
    from bot.lookups.finder import build_finder as build_live_finder

    # The id secret also keys the cache's postcode hashes, so they can't be reversed
    # by hashing every UK postcode.
    return build_live_finder(settings, engine, cache_secret=secret)


def build_services(settings: Settings, *, nlu: NluClient | None = None,
                   finder: RepresentativeFinder | None = None) -> Services:
    engine = create_db_engine(settings.database_url)
    secret_value = settings.id_hmac_secret.get_secret_value() if settings.id_hmac_secret else None
    secret = load_or_create_secret(secret_value, DATA_DIR / "id_secret")
    store = ConversationStore(engine, timedelta(days=settings.conversation_ttl_days))
    store.purge_expired()  # data expires even if nobody has written for a while
    service = ConversationService(
        store,
        nlu if nlu is not None else build_nlu(settings),
        finder if finder is not None else build_finder(settings, engine, secret),
        Config(confidence_threshold=settings.nlu_confidence_threshold),
        guesser=BackgroundGuesser(),
    )
    return Services(engine, service, secret)
