"""Telegram's side of webhook mode, for the Bot API fake: each update POSTed to the bot.

While a webhook is set (setWebhook), Telegram no longer keeps updates for getUpdates
(that is a 409 Conflict) but POSTs each one, as JSON, to the webhook URL, with the
secret token in the X-Telegram-Bot-Api-Secret-Token header. As Telegram's Bot API
server does it (tdlib/telegram-bot-api, WebhookActor):

- updates go out over up to `max_connections` requests at once, but one at a time per
  queue: a chat's messages are one queue, a user's button presses another, and the
  next update of a queue is sent only once the one before it got a 2xx answer;
- any other answer, or none (refused, reset, timed out), is an error: that update is
  sent again later, after a delay that doubles each time (from 1 s at Telegram, from
  `retry_after` here), and its queue waits behind it.

Every attempt is recorded (`attempts()`), so a test counts what was delivered, where,
and how often.

Real Telegram keeps one URL per bot. Several workers are served through a proxy behind
that URL, which spreads the requests (tests/test_webhook_workers.py runs HAProxy).
`spread_over(urls)` stands in for such a proxy where none is installed: each request
then goes to the next of those URLs in turn, as a round-robin balancer would send it.

Requests go to this machine only (http://127.0.0.1 or localhost): any other URL, such
as the public one a test registers, counts as a failed connection and is never dialled.
"""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tests.fakes.json_server import JsonObject

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_MAX_CONNECTIONS = 40  # setWebhook's default, as Telegram has it
_LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@dataclass(frozen=True)
class Delivery:
    """One attempt to hand an update to the webhook."""

    update_id: int
    url: str
    status: int | None  # None: no HTTP answer at all
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status <= 299


@dataclass(eq=False)  # each is itself: compared by identity
class _Pending:
    update: JsonObject
    queue: Hashable
    wakeup: float = 0.0  # not sent again before this (time.monotonic)
    failures: int = 0


def queue_of(update: JsonObject) -> Hashable:
    """Telegram's delivery queue for an update: the chat's for messages, the user's for
    button presses, one of its own otherwise."""
    if "message" in update:
        return ("chat", update["message"]["chat"]["id"])
    if "callback_query" in update:
        return ("presses", update["callback_query"]["from"]["id"])
    return ("update", update["update_id"])


class WebhookDelivery:
    """Pending updates and the requests that deliver them, while a webhook is set."""

    def __init__(self, *, retry_after: float = 0.05, max_retry_after: float = 2.0,
                 timeout: float = 10.0) -> None:
        self.retry_after = retry_after
        self.max_retry_after = max_retry_after
        self.timeout = timeout
        self.url = ""
        self.secret_token = ""
        self.max_connections = DEFAULT_MAX_CONNECTIONS
        self._deliveries: list[Delivery] = []
        self.last_error: tuple[int, str] | None = None  # (unix time, description)
        self._spread: list[str] = []
        self._turn = itertools.count()
        self._pending: list[_Pending] = []
        self._in_flight: dict[Hashable, _Pending] = {}  # by queue: one request each at most
        self._requests: list[threading.Thread] = []
        self._changed = threading.Condition()
        self._closing = False
        self._dispatcher: threading.Thread | None = None

    # --- set by the fake --------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return bool(self.url)

    def set(self, url: str, secret_token: str, max_connections: int,
            pending: list[JsonObject]) -> None:
        """setWebhook: from now on updates (`pending` first) are POSTed to `url`."""
        with self._changed:
            self.url, self.secret_token, self.max_connections = url, secret_token, max_connections
            self._pending += [_Pending(update, queue_of(update)) for update in pending]
            if self._dispatcher is None:
                self._dispatcher = threading.Thread(target=self._dispatch, daemon=True)
                self._dispatcher.start()
            self._changed.notify_all()

    def unset(self, *, drop_pending: bool = False) -> list[JsonObject]:
        """deleteWebhook: nothing more is sent; returns the updates not yet delivered."""
        with self._changed:
            self.url = ""
            # One in flight stays: its answer decides whether it was delivered (if not, it
            # waits here for the next webhook).
            sending = list(self._in_flight.values())
            left = [] if drop_pending else [p.update for p in self._pending
                                            if p not in sending]
            self._pending = sending
            return left

    def add(self, update: JsonObject) -> None:
        with self._changed:
            self._pending.append(_Pending(update, queue_of(update)))
            self._changed.notify_all()

    def spread_over(self, urls: list[str]) -> None:
        """Stand in for a round-robin proxy: each request goes to the next of `urls`."""
        with self._changed:
            self._spread = list(urls)

    def attempts(self) -> list[Delivery]:
        with self._changed:
            return list(self._deliveries)

    def pending_count(self) -> int:
        with self._changed:
            return len(self._pending)

    def close(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        if self._dispatcher is not None:
            self._dispatcher.join(timeout=self.timeout + 5)
        for request in list(self._requests):
            request.join(timeout=self.timeout + 5)

    # --- the sending side ---------------------------------------------------------------------

    def _dispatch(self) -> None:
        with self._changed:
            while not self._closing:
                now = time.monotonic()
                wake_in = 1.0
                waiting = set(self._in_flight)
                for item in self._pending if self.url else []:
                    if item.queue in waiting:
                        continue  # its queue has an earlier update unanswered
                    waiting.add(item.queue)
                    if item.wakeup > now:
                        wake_in = min(wake_in, item.wakeup - now)
                        continue
                    if len(self._in_flight) >= self.max_connections:
                        break
                    self._in_flight[item.queue] = item
                    request = threading.Thread(target=self._send, args=(item, self._target()))
                    self._requests = [r for r in self._requests if r.is_alive()] + [request]
                    request.start()
                self._changed.wait(wake_in)

    def _target(self) -> str:
        return self._spread[next(self._turn) % len(self._spread)] if self._spread else self.url

    def _send(self, item: _Pending, url: str) -> None:
        status = self._post(url, item.update)
        delivery = Delivery(item.update["update_id"], url, status)
        with self._changed:
            self._deliveries.append(delivery)
            del self._in_flight[item.queue]
            if delivery.ok:
                self._pending.remove(item)
            else:
                item.failures += 1
                delay = min(self.retry_after * 2 ** (item.failures - 1), self.max_retry_after)
                item.wakeup = time.monotonic() + delay
                answer = f"{status}" if status is not None else "no answer"
                self.last_error = (int(time.time()),
                                   f"Wrong response from the webhook: {answer}")
            self._changed.notify_all()

    def _post(self, url: str, update: JsonObject) -> int | None:
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname not in _LOCAL_HOSTS:
            return None  # never dialled: see the module docstring
        body = json.dumps(update).encode()
        headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
        if self.secret_token:
            headers[SECRET_HEADER] = self.secret_token
        connection = http.client.HTTPConnection(parts.hostname, parts.port or 80,
                                                timeout=self.timeout)
        try:
            connection.request("POST", parts.path or "/", body, headers)
            response = connection.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            return None
        finally:
            connection.close()
