"""The conversation itself, pure: situations, advice, drafts and the state machine.

Nothing in this package does I/O: no Telegram, no HTTP, no database. The shell in
`bot/` feeds events in, performs the effects the engine asks for (look-ups, erasure)
and renders the replies.
"""
