"""Raise My Case: the shell around the conversation engine (Telegram, terminal, storage, look-ups, NLU)."""
