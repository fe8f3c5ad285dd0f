"""The Telegram adapter's pieces; bot/telegram_app.py wires them into an Application.

- outgoing, split, keyboards: engine replies as HTML messages, keyboards, documents
- delivery: sending them, tidying pressed buttons, "typing…"
- groups: what the bot does in group chats (deep links to a private chat)
- ratelimit: the per-person limit
- reminders, workdays: opt-in follow-ups, persisted and scheduled
- commands: the command menu per language
- turns: one update, end to end
- health: the heartbeat a container health check reads
"""

# Nothing is imported here on purpose: the container health check imports
# bot.telegram.health every 30 seconds and must not pull in the whole bot.
