"""A fake Telegram Bot API server for end-to-end tests, and the people a test speaks as.

`FakeBotApi` listens on 127.0.0.1 (a free port) and speaks the Bot API's JSON over
HTTP, so the real python-telegram-bot Application talks to it exactly as it would
to Telegram (base_url=fake.base_url). It serves the updates a test injects
(getUpdates with offsets, at most 100 at a time, and long polling), or, once the bot
sets a webhook, POSTs them to it as Telegram does (tests/fakes/webhook.py: the secret
token header, one update at a time per chat, retries after an error; getUpdates is
then a 409 Conflict). It answers the methods the bot uses with objects shaped like
Telegram's, and holds the bot to the limits Telegram enforces: 4096 characters per
message after parsing, HTML Telegram can parse, callback data of at most 64 bytes,
only chats it has seen. Every request is recorded, so a test reads exactly what
people would have been sent.

It runs on a thread of its own and stops (threads joined, sockets closed) on close().
"""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.bidi import without_direction_marks
from tests.fakes.json_server import Answer, JsonObject, JsonServer
from tests.fakes.multipart import decode_form
from tests.fakes.telegram_html import BadRequest, parse_html, utf16_len
from tests.fakes.webhook import DEFAULT_MAX_CONNECTIONS, Delivery, WebhookDelivery

BOT_ID = 7000000001
BOT_USERNAME = "RaiseMyCaseTestBot"
TOKEN = "7000000001:TEST-token_for-the-fake-server"
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
UPDATES_LIMIT = 100  # getUpdates' `limit`: at most and by default, as Telegram has it
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: JsonObject
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    status: int = 200
    result: Any = None
    error: str = ""  # Telegram's description of a refusal
    at: float = field(default_factory=time.monotonic)  # when the bot made it (benchmarks)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return value if isinstance(value, int) else None

    @property
    def text(self) -> str:
        """What a person reads (HTML parsed, direction marks unseen), for messages, edits
        and captions."""
        return without_direction_marks(self.marked_text)

    @property
    def marked_text(self) -> str:
        """The text with its HTML parsed but its direction marks and isolates kept."""
        raw = self.params.get("text", self.params.get("caption", ""))
        if self.params.get("parse_mode") == "HTML":
            try:
                return parse_html(str(raw))
            except BadRequest:
                return str(raw)
        return str(raw)

    @property
    def buttons(self) -> list[JsonObject]:
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    def button_data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]

    @property
    def document(self) -> tuple[str, str] | None:
        """(filename, text) of an uploaded document."""
        if "document" not in self.files:
            return None
        name, content = self.files["document"]
        return name, content.decode("utf-8")


@dataclass
class Person:
    """A Telegram user the test speaks as."""

    fake: FakeBotApi
    user_id: int
    first_name: str
    language_code: str | None = None

    @property
    def user(self) -> JsonObject:
        user: JsonObject = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    @property
    def private_chat(self) -> JsonObject:
        return {"id": self.user_id, "type": "private", "first_name": self.first_name}

    def says(self, text: str, chat: JsonObject | None = None, *,
             reply_to: JsonObject | None = None) -> JsonObject:
        """Send a message; commands and @mentions get the entities Telegram adds."""
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0,
                             "length": utf16_len(text.split(" ", 1)[0])})
        for match in re.finditer(r"@\w+", text):
            entities.append({"type": "mention", "offset": utf16_len(text[:match.start()]),
                             "length": utf16_len(match.group())})
        message: JsonObject = {"text": text}
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return self.fake.push_message(self.user, chat or self.private_chat, message)

    def sends_photo(self, chat: JsonObject | None = None) -> JsonObject:
        photo = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]
        return self.fake.push_message(self.user, chat or self.private_chat, {"photo": photo})

    def presses(self, data: str, on: Call | JsonObject) -> JsonObject:
        """Press a button on a message the bot sent (a recorded call or a message object)."""
        message = on.result if isinstance(on, Call) else on
        return self.fake.push_callback(self.user, message, data)


class FakeBotApi:
    """The Bot API, as far as this bot uses it. See the module docstring."""

    def __init__(self, token: str = TOKEN, *, keep_alive: bool = False) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.chats: dict[int, JsonObject] = {}
        self.commands: dict[tuple[str, str], list[JsonObject]] = {}
        self.webhook: JsonObject = {}
        self.messages: dict[tuple[int, int], JsonObject] = {}  # what the bot sent, as it is now
        self._updates: list[JsonObject] = []
        self._update_ids = itertools.count(1)
        self.updates_pushed = 0  # their update_ids are 1 to this
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._failures: dict[str, list[Answer]] = {}
        self._watchers: list[Callable[[Call], None]] = []
        self._changed = threading.Condition()
        self._closing = False
        self._webhook = WebhookDelivery()
        self._server = JsonServer(self._answer, keep_alive=keep_alive)
        self.bot_user: JsonObject = {
            "id": BOT_ID, "is_bot": True, "first_name": "Raise My Case",
            "username": BOT_USERNAME, "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False,
        }

    # --- lifecycle --------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_BASE_URL would say: the token and method are appended."""
        return f"http://127.0.0.1:{self._server.port}/bot"

    def close(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()  # release long polls at once
        self._webhook.close()
        self._server.close()

    def __enter__(self) -> FakeBotApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- what the test does ---------------------------------------------------------------

    def person(self, user_id: int, first_name: str, language_code: str | None) -> Person:
        return Person(self, user_id, first_name, language_code)

    def group(self, chat_id: int, title: str) -> JsonObject:
        chat = {"id": chat_id, "type": "supergroup", "title": title}
        self.chats[chat_id] = chat
        return chat

    def push_message(self, user: JsonObject, chat: JsonObject, content: JsonObject) -> JsonObject:
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": chat, "from": user, **content}
        self.push({"message": message})
        return message

    def push_callback(self, user: JsonObject, message: JsonObject, data: str) -> JsonObject:
        query = {"id": str(next(self._callback_ids)), "from": user, "message": message,
                 "chat_instance": f"ci-{message['chat']['id']}", "data": data}
        self.push({"callback_query": query})
        return query

    def push(self, update: JsonObject) -> int:
        """Queue an update for getUpdates, or for the webhook while one is set; returns its
        update_id."""
        with self._changed:
            update_id = next(self._update_ids)
            self.updates_pushed = update_id
            if self._webhook.active:
                self._webhook.add({"update_id": update_id, **update})
            else:
                self._updates.append({"update_id": update_id, **update})
            for kind in ("message", "edited_message", "channel_post", "callback_query"):
                chat = (update.get(kind) or {}).get("chat") or \
                    ((update.get(kind) or {}).get("message") or {}).get("chat")
                if chat:
                    self.chats.setdefault(chat["id"], chat)
            self._changed.notify_all()
            return update_id

    def spread_webhook_over(self, urls: list[str]) -> None:
        """Deliver webhook requests to each of `urls` in turn, instead of the URL the bot
        registered: a stand-in for the round-robin proxy that spreads them over several
        workers in front of real Telegram (which knows one URL only)."""
        self._webhook.spread_over(urls)

    def fail_next(self, method: str, status: int = 429, retry_after: int = 1) -> None:
        """The next call of `method` fails like Telegram's flood control would."""
        body: JsonObject = {"ok": False, "error_code": status,
                            "description": f"Too Many Requests: retry after {retry_after}"}
        if status == 429:
            body["parameters"] = {"retry_after": retry_after}
        self._failures.setdefault(method, []).append((status, body))

    # --- what the test reads ----------------------------------------------------------------

    def watch(self, callback: Callable[[Call], None]) -> None:
        """Call `callback` with every call as it is recorded, on the server's thread.

        For load tests: a thousand people each scanning the whole record for their reply
        would cost more than the bot they measure.
        """
        with self._changed:
            self._watchers.append(callback)

    @property
    def deliveries(self) -> list[Delivery]:
        """Every attempt to POST an update to the webhook, in the order they ended."""
        return self._webhook.attempts()

    def calls_of(self, *methods: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method in methods and c.status == 200]

    def sent_to(self, chat_id: int) -> list[Call]:
        """Everything that put text or a file into a chat."""
        return [c for c in self.calls_of("sendMessage", "sendDocument", "editMessageText")
                if c.chat_id == chat_id]

    def mark(self) -> int:
        """A point in the record; `since(mark)` gives what came after it."""
        with self._changed:
            return len(self.calls)

    def since(self, mark: int) -> list[Call]:
        with self._changed:
            return [c for c in self.calls[mark:] if c.status == 200]

    async def wait_for(self, predicate: Callable[[Call], bool], *, after: int = 0,
                       count: int = 1, within: float = 10.0) -> list[Call]:
        """Wait until `count` successful calls after `after` match; fail after `within` s."""
        deadline = time.monotonic() + within
        while True:
            found = [c for c in self.since(after) if predicate(c)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                seen = [(c.method, c.text[:60]) for c in self.since(after)]
                raise AssertionError(f"timed out waiting for {count} call(s); saw {seen}")
            await asyncio.sleep(0.01)

    async def wait_for_prompt(self, chat_id: int, *, after: int, within: float = 10.0) -> Call:
        """The next message to `chat_id` that carries buttons (the question of a turn)."""
        calls = await self.wait_for(
            lambda c: c.method == "sendMessage" and c.chat_id == chat_id and bool(c.buttons),
            after=after, within=within)
        return calls[0]

    # --- the server side ------------------------------------------------------------------

    def _answer(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", path.split("?", 1)[0])
        if match is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if match.group(1) != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = match.group(2)
        params, files = decode_form(headers.get("content-type", ""), body)
        call = Call(method, params, files)
        failure = self._take_failure(method)
        if failure is not None:
            call.status = failure[0]
            self._record(call)
            return failure
        if method == "getUpdates":
            # Not recorded: polling is noise, and a test never asserts on it.
            if self._webhook.active:
                return _CONFLICT
            return 200, {"ok": True, "result": self._get_updates(params)}
        try:
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                raise BadRequest(f"Not Found: method {method} not found")
            call.result = handler(params, files)
        except BadRequest as error:
            call.status, call.error = 400, str(error)
            self._record(call)
            return 400, {"ok": False, "error_code": 400, "description": str(error)}
        self._record(call)
        return 200, {"ok": True, "result": call.result}

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            for watcher in self._watchers:
                watcher(call)

    def _take_failure(self, method: str) -> Answer | None:
        with self._changed:
            queue = self._failures.get(method)
            return queue.pop(0) if queue else None

    def _get_updates(self, params: JsonObject) -> list[JsonObject]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or UPDATES_LIMIT), 1), UPDATES_LIMIT)
        timeout = min(float(params.get("timeout") or 0), 30.0)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                # An offset confirms every update before it.
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or self._closing or self._webhook.active:
                    # A webhook set meanwhile ends the poll (Telegram: a 409 "terminated by
                    # setWebhook"; the next poll gets the 409 here).
                    return self._updates[:limit]
                left = deadline - time.monotonic()
                if left <= 0:
                    return []
                self._changed.wait(left)

    def _chat(self, params: JsonObject) -> JsonObject:
        chat_id = params.get("chat_id")
        if chat_id not in self.chats:
            raise BadRequest("Bad Request: chat not found")
        return self.chats[chat_id]

    def _message(self, params: JsonObject, **content: Any) -> JsonObject:
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": self._chat(params), "from": self.bot_user, **content}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        with self._changed:
            self.messages[(message["chat"]["id"], message["message_id"])] = message
        return message

    def _sent_message(self, params: JsonObject) -> JsonObject:
        found = self.messages.get((params.get("chat_id"), params.get("message_id")))  # type: ignore[arg-type]
        if found is None:
            raise BadRequest("Bad Request: message to edit not found")
        return found

    def _checked_text(self, params: JsonObject, key: str, limit: int) -> str:
        raw = str(params.get(key, ""))
        text = parse_html(raw) if params.get("parse_mode") == "HTML" else raw.strip()
        if key == "text" and not text:
            raise BadRequest("Bad Request: message text is empty")
        if utf16_len(text) > limit:
            raise BadRequest("Bad Request: message is too long" if key == "text"
                             else "Bad Request: message caption is too long")
        return text

    def _check_markup(self, params: JsonObject) -> None:
        markup = params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise BadRequest("Bad Request: BUTTON_DATA_INVALID")
                if data is None and "url" not in button:
                    raise BadRequest("Bad Request: can't parse inline keyboard button")

    # One method each, named _m_<Bot API method>.

    def _m_getMe(self, params: JsonObject, files: Any) -> JsonObject:
        return self.bot_user

    def _m_deleteWebhook(self, params: JsonObject, files: Any) -> bool:
        drop = _flag(params.get("drop_pending_updates"))
        with self._changed:
            self.webhook = {}
            left = self._webhook.unset(drop_pending=drop)
            self._updates = [] if drop else left + self._updates
        return True

    def _m_setWebhook(self, params: JsonObject, files: Any) -> bool:
        url = str(params.get("url") or "")
        if not url:  # Telegram: an empty URL removes the webhook
            return self._m_deleteWebhook(params, files)
        secret = str(params.get("secret_token") or "")
        if secret and not _SECRET_TOKEN.fullmatch(secret):
            raise BadRequest("Bad Request: secret token contains unallowed characters")
        max_connections = int(params.get("max_connections") or DEFAULT_MAX_CONNECTIONS)
        if not 1 <= max_connections <= 100:
            raise BadRequest("Bad Request: bad webhook: invalid max_connections")
        # The fake is a local Bot API server (`--local`): plain HTTP and any port are fine.
        with self._changed:
            self.webhook = dict(params)
            pending = [] if _flag(params.get("drop_pending_updates")) else self._updates
            self._updates = []
            self._webhook.set(url, secret, max_connections, pending)
            self._changed.notify_all()  # a long poll in progress ends
        return True

    def _m_getWebhookInfo(self, params: JsonObject, files: Any) -> JsonObject:
        with self._changed:
            pending = (self._webhook.pending_count() if self._webhook.active
                       else len(self._updates))
        info: JsonObject = {"url": self._webhook.url, "has_custom_certificate": False,
                            "pending_update_count": pending}
        if self._webhook.active:
            info["max_connections"] = self._webhook.max_connections
            if "allowed_updates" in self.webhook:
                info["allowed_updates"] = self.webhook["allowed_updates"]
            if self._webhook.last_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook.last_error
        return info

    def _m_setMyCommands(self, params: JsonObject, files: Any) -> bool:
        scope = (params.get("scope") or {}).get("type", "default")
        self.commands[(scope, params.get("language_code") or "")] = params["commands"]
        return True

    def _m_getMyCommands(self, params: JsonObject, files: Any) -> list[JsonObject]:
        scope = (params.get("scope") or {}).get("type", "default")
        return self.commands.get((scope, params.get("language_code") or ""), [])

    def _m_sendMessage(self, params: JsonObject, files: Any) -> JsonObject:
        text = self._checked_text(params, "text", MESSAGE_LIMIT)
        self._check_markup(params)
        return self._message(params, text=text)

    def _m_sendDocument(self, params: JsonObject,
                        files: dict[str, tuple[str, bytes]]) -> JsonObject:
        if "document" not in files:
            raise BadRequest("Bad Request: there is no document in the request")
        caption = self._checked_text(params, "caption", CAPTION_LIMIT)
        name, content = files["document"]
        document = {"file_id": f"doc-{len(self.calls)}", "file_unique_id": f"d{len(self.calls)}",
                    "file_name": name, "mime_type": "text/plain", "file_size": len(content)}
        return self._message(params, document=document, caption=caption)

    def _m_editMessageText(self, params: JsonObject, files: Any) -> JsonObject:
        message = self._sent_message(params)
        text = self._checked_text(params, "text", MESSAGE_LIMIT)
        self._check_markup(params)
        markup = params.get("reply_markup")
        if text == message.get("text") and markup == message.get("reply_markup"):
            raise BadRequest("Bad Request: message is not modified")
        return self._edited(message, text=text, reply_markup=params.get("reply_markup"))

    def _m_editMessageReplyMarkup(self, params: JsonObject, files: Any) -> JsonObject:
        message = self._sent_message(params)
        self._check_markup(params)
        if params.get("reply_markup") == message.get("reply_markup"):
            raise BadRequest("Bad Request: message is not modified")
        return self._edited(message, reply_markup=params.get("reply_markup"))

    def _edited(self, message: JsonObject, **changes: Any) -> JsonObject:
        edited = {**message, **changes, "edit_date": int(time.time())}
        if not edited.get("reply_markup"):
            edited.pop("reply_markup", None)
        with self._changed:
            self.messages[(edited["chat"]["id"], edited["message_id"])] = edited
        return edited

    def _m_answerCallbackQuery(self, params: JsonObject, files: Any) -> bool:
        if len(str(params.get("text", ""))) > 200:
            raise BadRequest("Bad Request: MESSAGE_TOO_LONG")
        return True

    def _m_sendChatAction(self, params: JsonObject, files: Any) -> bool:
        self._chat(params)
        return True

    def _m_deleteMessage(self, params: JsonObject, files: Any) -> bool:
        return True


_CONFLICT: Answer = (409, {
    "ok": False, "error_code": 409,
    "description": "Conflict: can't use getUpdates method while webhook is active; "
                   "use deleteWebhook to delete the webhook first"})


def _flag(value: object) -> bool:
    """A boolean form field, as python-telegram-bot sends it."""
    return value in (True, "true", "True", "1")


def iter_group_texts(fake: FakeBotApi, chat_id: int) -> Iterator[str]:
    """Everything a group's members could read from the bot: texts, captions, button labels."""
    for call in fake.sent_to(chat_id):
        yield call.text
        yield from (button.get("text", "") for button in call.buttons)
        if call.document is not None:
            yield from call.document
