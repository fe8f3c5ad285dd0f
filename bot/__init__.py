"""Raise My Case: the shell around the conversation engine.

Telegram and the terminal chat, storage, look-ups of representatives and the NLU client.
"""
