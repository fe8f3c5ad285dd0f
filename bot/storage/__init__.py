"""Storage: conversation state, language preference and the look-up cache."""

from bot.storage.db import create_db_engine

__all__ = ["create_db_engine"]
