"""Opt-in reminders (F3): kept in the database, scheduled on PTB's JobQueue.

The JobQueue lives in memory, so every reminder is also a row (ReminderRow) and is
scheduled again from the rows at startup: a restart loses none, and one that came
due while the bot was down is sent at once. When a reminder fires it is first
claimed by deleting its row; only the worker whose delete succeeds sends it, so
several workers reloading the same rows send it once. /forget deletes the row and
cancels the job (registered as an eraser on the conversation service).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from telegram.error import Forbidden, TelegramError
from telegram.ext import CallbackContext, JobQueue

from bot.storage.db import erase_person
from bot.storage.models import ReminderRow
from bot.telegram.workdays import reminder_due
from flows.case import Nation

log = logging.getLogger(__name__)

# A send that failed for a passing reason (network, Telegram busy) is tried again then.
RETRY_AFTER = timedelta(hours=1)
# INSERT … ON CONFLICT DO UPDATE, in the two databases the bot runs on.
_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
Clock = Callable[[], datetime]
# Sends the check-in for (bot context, user key, chat id); raises TelegramError if it can't.
SendReminder = Callable[[CallbackContext, str, int], Awaitable[None]]  # type: ignore[type-arg]


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    # Stored aware; some drivers hand SQLite datetimes back naive (they are UTC).
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class ReminderStore:
    """Reminder rows: at most one per person, the latest request wins."""

    def __init__(self, engine: Engine, now: Clock = _now) -> None:
        self.engine = engine
        self.now = now

    def put(self, key: str, chat_id: int, due_at: datetime) -> None:
        """Keep the person's reminder, replacing theirs if there is one (it keeps the time
        it was first asked for).

        One statement: two workers saving the same person's reminder at once (a double
        tap, a retry rescheduling as they ask again) would both find no row and both
        insert it, and the second would fail on the duplicate key.
        """
        table = ReminderRow.__table__  # type: ignore[attr-defined]
        upsert = _UPSERTS[self.engine.dialect.name](table).values(
            user_key=key, chat_id=chat_id, due_at=due_at, created_at=self.now())
        with self.engine.begin() as connection:
            connection.execute(upsert.on_conflict_do_update(
                index_elements=[table.c.user_key],
                set_={"chat_id": chat_id, "due_at": due_at}))

    def get(self, key: str) -> ReminderRow | None:
        with Session(self.engine) as session:
            return session.get(ReminderRow, key)

    def pending(self) -> list[ReminderRow]:
        with Session(self.engine) as session:
            return list(session.exec(select(ReminderRow).order_by(ReminderRow.due_at)).all())

    def claim(self, key: str) -> ReminderRow | None:
        """Take a due reminder for sending, atomically: None if gone, not due, or taken."""
        with Session(self.engine) as session:
            row = session.get(ReminderRow, key)
            if row is None or _utc(row.due_at) > self.now() + timedelta(seconds=1):
                return None
            claimed = ReminderRow(user_key=row.user_key, chat_id=row.chat_id,
                                  due_at=_utc(row.due_at), created_at=row.created_at)
            result = session.exec(delete(ReminderRow).where(  # type: ignore[call-overload]
                ReminderRow.user_key == key, ReminderRow.due_at == row.due_at))
            session.commit()
            return claimed if result.rowcount == 1 else None

    def erase(self, key: str) -> None:
        erase_person(self.engine, ReminderRow, key)


class Reminders:
    """Remembering, scheduling, reloading and cancelling reminders."""

    def __init__(self, store: ReminderStore, job_queue: JobQueue,  # type: ignore[type-arg]
                 send: SendReminder) -> None:
        self.store = store
        self.job_queue = job_queue
        self.send = send

    def remember(self, key: str, chat_id: int, nation: Nation | None = None) -> datetime:
        """The person pressed "Remind me": keep it, and schedule it.

        Working days are counted with the bank holidays of `nation` (England's if None).
        """
        due = reminder_due(self.store.now(), nation)
        self.store.put(key, chat_id, due)
        self._schedule(key, chat_id, due)
        return due

    def reload(self) -> int:
        """Schedule every stored reminder (at startup); returns how many."""
        rows = self.store.pending()
        for row in rows:
            self._schedule(row.user_key, row.chat_id, _utc(row.due_at))
        log.info("reminders reloaded: %d", len(rows))
        return len(rows)

    def erase(self, key: str) -> None:
        """For /forget: the row and any scheduled job go."""
        self.store.erase(key)
        self._unschedule(key)

    def scheduled(self, key: str) -> datetime | None:
        jobs = self.job_queue.get_jobs_by_name(_job_name(key))
        return jobs[0].next_t if jobs else None

    def _schedule(self, key: str, chat_id: int, due: datetime) -> None:
        self._unschedule(key)
        self.job_queue.run_once(
            self._fire, when=max(due, self.store.now()), data=key, chat_id=chat_id,
            name=_job_name(key),
            # Late is fine (the loop was busy, the machine slept): send it anyway.
            job_kwargs={"misfire_grace_time": None},
        )

    def _unschedule(self, key: str) -> None:
        for job in self.job_queue.get_jobs_by_name(_job_name(key)):
            job.schedule_removal()

    async def _fire(self, context: CallbackContext) -> None:  # type: ignore[type-arg]
        key = context.job.data if context.job else None
        if not isinstance(key, str):
            return
        row = self.store.claim(key)
        if row is None:
            return  # erased, moved later, or sent by another worker
        try:
            await self.send(context, key, row.chat_id)
        except Forbidden:
            log.info("reminder dropped: the person blocked the bot or left")
        except TelegramError as error:
            log.warning("reminder not sent (%s); trying again later", type(error).__name__)
            retry = self.store.now() + RETRY_AFTER
            self.store.put(key, row.chat_id, retry)
            self._schedule(key, row.chat_id, retry)
        else:
            log.info("reminder sent")


def _job_name(key: str) -> str:
    return f"reminder:{key}"
