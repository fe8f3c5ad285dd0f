"""Fakes of the services the bot talks to, for tests: one module per concern.

- `telegram_html`: text as Telegram reads it (its HTML subset, UTF-16 lengths).
- `json_server`: a threaded JSON-over-HTTP server on 127.0.0.1 that the fakes serve from.
- `multipart`: a request's form, decoded as python-telegram-bot encodes it.
- `bot_api`: the Telegram Bot API (`FakeBotApi`) and the people a test speaks as.
- `rasa_nlu`: Rasa's /model/parse, answered from a phrase table (`FakeRasa`).
"""
