"""Understanding free text: the seam between the engine and an NLU service."""

from bot.nlu.base import NluClient, NoNlu

__all__ = ["NluClient", "NoNlu"]
