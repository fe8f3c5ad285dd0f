"""Storage: conversation state, language preference, message budgets and the look-up cache."""

from bot.storage.db import create_db_engine
from bot.storage.versioned import WriteConflict

__all__ = ["WriteConflict", "create_db_engine"]
