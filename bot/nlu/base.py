"""The NLU port. The engine works without it (buttons); with it, free text counts."""

from __future__ import annotations

from typing import Protocol

from flows.events import NluResult


class NluClient(Protocol):
    async def parse(self, text: str) -> NluResult | None:
        """The parse of `text`, or None when the service is down, slow or unsure.

        Never raises for a service problem: the conversation goes on with buttons.
        """
        ...

    async def aclose(self) -> None: ...


class NoNlu:
    """Used when no NLU service is configured: every message falls back to buttons."""

    async def parse(self, text: str) -> NluResult | None:
        return None

    async def aclose(self) -> None:
        return None
