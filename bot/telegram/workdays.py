"""Working days: when "about 20 working days after the letter" falls (F3).

The Home Office aims to answer MPs within 20 working days, so the check-in comes
then. Weekends are skipped, and so are the bank holidays of the person's nation,
which differ: St Andrew's Day is one in Scotland only, Easter Monday everywhere but
Scotland, 12 July (Battle of the Boyne) in Northern Ireland only. We keep no list of
our own: the dates are the `holidays` package's data (its United Kingdom calendar,
one subdivision per nation), so a new year or a one-off holiday arrives with an
update of that package. England's apply when the nation is not known.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import holidays

from flows.case import Nation

REMINDER_WORKING_DAYS = 20
# Morning in the UK all year round (09:00 or 10:00 local time).
REMINDER_TIME = time(9, 0, tzinfo=UTC)

# The `holidays` package's subdivision codes for the United Kingdom.
SUBDIVISIONS: dict[Nation, str] = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


def bank_holidays(nation: Nation | None, years: range) -> holidays.HolidayBase:
    """The nation's bank holidays (England's if unknown); later years are added as asked."""
    return holidays.UnitedKingdom(subdiv=SUBDIVISIONS[nation or Nation.ENGLAND], years=years)


def is_working_day(day: date, nation: Nation | None = None) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(nation, range(day.year, day.year + 1))


def add_working_days(start: date, days: int, nation: Nation | None = None) -> date:
    """The `days`-th working day after `start` (`start` itself never counts)."""
    closed = bank_holidays(nation, range(start.year, start.year + 2))
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in closed:
            remaining -= 1
    return current


def reminder_due(now: datetime, nation: Nation | None = None,
                 working_days: int = REMINDER_WORKING_DAYS) -> datetime:
    """When a reminder asked for at `now` comes due: a working-day morning, in UTC."""
    day = add_working_days(now.astimezone(UTC).date(), working_days, nation)
    return datetime.combine(day, REMINDER_TIME)
