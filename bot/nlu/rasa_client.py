"""The NLU client for a Rasa server: POST {base}/model/parse with a short deadline.

Rasa being down, slow or answering nonsense is normal operation for the bot (it
carries on with buttons), so every such case is `None`, never an exception. Logs
carry timings and status codes only: the message text is the person's, and so is
the server's answer (it echoes the text back).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from flows.case import Relationship
from flows.centres import CENTRES, find_centre
from flows.events import Entity, IntentScore, NluResult
from flows.postcodes import normalise_postcode

log = logging.getLogger(__name__)

# Rasa's FallbackClassifier puts this pseudo-intent on top when it is unsure. The
# engine knows only our intents and applies its own threshold to their real
# confidences, which stay in the ranking, so it is dropped.
FALLBACK_INTENT = "nlu_fallback"
KNOWN_ENTITIES = frozenset({"postcode", "detention_centre", "relationship"})
# Long texts make DIET slow and never carry more intent than their first lines.
MAX_TEXT_CHARS = 1000

_CENTRE_IDS = frozenset(centre.id for centre in CENTRES)
_RELATIONSHIPS = frozenset(item.value for item in Relationship)


class MalformedParse(ValueError):
    """The server answered 200 with something that is not a Rasa parse."""


class RasaNlu:
    """`NluClient` backed by `rasa run --enable-api`."""

    def __init__(
        self,
        base_url: str,
        timeout_seconds: float = 2.0,
        *,
        auth_token: str | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_seconds = timeout_seconds
        # Rasa's --auth-token travels as a query parameter; never logged (httpx's URL
        # logging is off in the bot, and this client logs status codes only).
        self._params = {"token": auth_token} if auth_token else {}
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(timeout_seconds))
        self._owns_client = client is None

    async def parse(self, text: str) -> NluResult | None:
        """The parse of `text`, or None when the server is down, slow or answers garbage."""
        started = time.perf_counter()
        status: int | None = None
        try:
            # httpx's timeout is per socket operation; this bounds the whole call.
            async with asyncio.timeout(self.timeout_seconds):
                response = await self._client.post(
                    f"{self.base_url}/model/parse",
                    json={"text": text[:MAX_TEXT_CHARS]},
                    params=self._params,
                )
                status = response.status_code
                response.raise_for_status()
                body = response.json()
            result = result_from_parse(body)
        except (TimeoutError, httpx.HTTPError, ValueError, TypeError, KeyError) as error:
            # The exception's text may quote the response, which quotes the message.
            log.warning(
                "nlu parse failed: %s status=%s after %.0f ms",
                type(error).__name__,
                status,
                _ms_since(started),
            )
            return None
        log.debug("nlu parse ok: status=%s in %.0f ms", status, _ms_since(started))
        return result

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()


def result_from_parse(body: object) -> NluResult | None:
    """Our `NluResult` from Rasa's /model/parse JSON; raises MalformedParse on garbage."""
    if not isinstance(body, Mapping):
        raise MalformedParse("parse is not an object")
    ranking = _ranking(body)
    entities = _entities(body.get("entities", []))
    if not ranking and not entities:
        return None
    return NluResult(ranking=ranking, entities=entities)


def _ranking(body: Mapping[str, Any]) -> tuple[IntentScore, ...]:
    raw = body.get("intent_ranking")
    if not raw:  # a model without an intent classifier ranks nothing; use the top
        top = body.get("intent")
        raw = [top] if top else []
    if not isinstance(raw, list):
        raise MalformedParse("intent_ranking is not a list")
    scores = [_score(item) for item in raw]
    kept = [score for score in scores if score.name != FALLBACK_INTENT]
    return tuple(sorted(kept, key=lambda score: score.confidence, reverse=True))


def _score(item: object) -> IntentScore:
    if not isinstance(item, Mapping):
        raise MalformedParse("intent is not an object")
    name, confidence = item["name"], item["confidence"]
    if not isinstance(name, str) or isinstance(confidence, bool):
        raise MalformedParse("intent name or confidence has the wrong type")
    return IntentScore(name=name, confidence=float(confidence))


def _entities(raw: object) -> tuple[Entity, ...]:
    if not isinstance(raw, list):
        raise MalformedParse("entities is not a list")
    found: list[Entity] = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise MalformedParse("entity is not an object")
        name, value = item.get("entity"), item.get("value")
        if name not in KNOWN_ENTITIES or not isinstance(value, str | int | float):
            continue
        entity = Entity(entity=str(name), value=canonical_value(str(name), str(value)))
        # DIET and the regex extractor both find postcodes: keep each value once.
        if entity not in found:
            found.append(entity)
    return tuple(_full_postcodes_first(found))


def _full_postcodes_first(entities: Iterable[Entity]) -> list[Entity]:
    """A whole postcode before a fragment of one ("B12") that DIET may also tag."""
    return sorted(
        entities,
        key=lambda e: e.entity == "postcode" and normalise_postcode(e.value) is None,
    )


def canonical_value(entity: str, value: str) -> str:
    """The canonical form of an extracted value, as `flows` expects it.

    Rasa's synonym mapper only knows spellings seen in training, so a new typo
    ("harmondswoth") still comes through as typed; the centre list's fuzzy match
    catches most of those. Anything we cannot map is passed on as typed.
    """
    value = value.strip()
    if entity == "postcode":
        return normalise_postcode(value) or value.upper()
    if entity == "detention_centre":
        if value in _CENTRE_IDS:
            return value
        centre = find_centre(value)
        return centre.id if centre is not None else value
    if entity == "relationship":
        folded = value.casefold().replace(" ", "_")
        return folded if folded in _RELATIONSHIPS else value
    return value


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
