"""Time rules of a watch, as pure functions: durations, cron slots and which revisit is due.

A job runs at the slots of its cron expression (croniter). A job that never
ran runs at once; slots missed while no scheduler ran are caught up by one run,
for the latest of them. An article is revisited at each age of the job's
revisit policy (``1h, 6h, 1d`` after its publication), in the first run at or
after that moment; ages that passed before a capture are covered by it; after
the last age it is never revisited again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo

from croniter import croniter

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"(?:(\d+)([smhdw]))+")
_PART = re.compile(r"(\d+)([smhdw])")


def parse_duration(text: str | int | float) -> timedelta:
    """``90s``, ``30m``, ``1h``, ``1h30m``, ``3d``, ``1w``, or a number of seconds; ValueError otherwise.

    A negative or zero duration is refused: nothing in a plan lasts no time.
    """
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a duration")
    if isinstance(text, (int, float)):
        seconds = float(text)
    else:
        spoken = text.strip().lower().replace(" ", "")
        if spoken.startswith("-"):
            raise ValueError(f"{text!r} is negative")
        if not _DURATION.fullmatch(spoken):
            raise ValueError(f"{text!r} is not a duration like 30m, 6h, 1d or 1h30m")
        seconds = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(spoken))
    if seconds < 0:
        raise ValueError(f"{text!r} is negative")
    if seconds == 0:
        raise ValueError(f"{text!r} is no time at all")
    return timedelta(seconds=seconds)


def format_duration(duration: timedelta) -> str:
    """The shortest ``1d6h``-style spelling of *duration* (whole seconds)."""
    seconds = int(duration.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


def due_slot(cron: str, tz: tzinfo, last_slot: datetime | None, now: datetime) -> datetime | None:
    """The slot a job should run for at *now*, or None: *now* for a job that never ran, else the latest slot due.

    However many slots were missed since *last_slot*, only the latest one is returned.
    """
    if last_slot is None:
        return now
    if next_slot(cron, tz, last_slot) > now:
        return None
    local = now.astimezone(tz)
    return local if croniter.match(cron, local) else croniter(cron, local).get_prev(datetime)


def next_slot(cron: str, tz: tzinfo, after: datetime) -> datetime:
    """The first slot of *cron* strictly after *after*, in the job's timezone *tz*."""
    return croniter(cron, after.astimezone(tz)).get_next(datetime)


def due_age(published: datetime | None, last_decided: datetime, now: datetime,
            ages: Sequence[timedelta]) -> timedelta | None:
    """The age at which an article is due a revisit at *now*, or None.

    Due when an age's moment (*published* + age) fell after the run that last
    captured it (decided at *last_decided*) and is not later than *now*; of
    several such ages (missed runs), the latest, so one revisit covers them.
    """
    if published is None:
        return None
    passed = [age for age in ages if last_decided < published + age <= now]
    return passed[-1] if passed else None


def next_due(published: datetime | None, last_decided: datetime, ages: Sequence[timedelta]) -> datetime | None:
    """When the next revisit falls due after a capture decided at *last_decided*; None after the last age."""
    if published is None:
        return None
    upcoming = [published + age for age in ages if published + age > last_decided]
    return min(upcoming, default=None)
