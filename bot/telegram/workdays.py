"""Working days: when "about 20 working days after the letter" falls (F3).

The Home Office aims to answer MPs within 20 working days, so the check-in comes
then. Weekends are skipped, and so are the bank holidays of England and Wales
(from gov.uk/bank-holidays); a missing future year only makes the date a day or
two early, which "about" covers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

REMINDER_WORKING_DAYS = 20
# Morning in the UK all year round (09:00 or 10:00 local time).
REMINDER_TIME = time(9, 0, tzinfo=UTC)

BANK_HOLIDAYS_ENGLAND_AND_WALES: frozenset[date] = frozenset({
    date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 5),
    date(2025, 5, 26), date(2025, 8, 25), date(2025, 12, 25), date(2025, 12, 26),
    date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4),
    date(2026, 5, 25), date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28),
    date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3),
    date(2027, 5, 31), date(2027, 8, 30), date(2027, 12, 27), date(2027, 12, 28),
})


def is_working_day(day: date, holidays: frozenset[date] = BANK_HOLIDAYS_ENGLAND_AND_WALES) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int,
                     holidays: frozenset[date] = BANK_HOLIDAYS_ENGLAND_AND_WALES) -> date:
    """The `days`-th working day after `start` (`start` itself never counts)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def reminder_due(now: datetime, working_days: int = REMINDER_WORKING_DAYS) -> datetime:
    """When a reminder asked for at `now` comes due: a working-day morning, in UTC."""
    day = add_working_days(now.astimezone(UTC).date(), working_days)
    return datetime.combine(day, REMINDER_TIME)
