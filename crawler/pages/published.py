"""Turn a page's raw publication-date statements into one ISO 8601 timestamp.

The JSON Lines schema wants ``YYYY-MM-DDTHH:MM:SS[.ffffff]±HH:MM``. Pages do
not always give that much:

- a timestamp with an offset is kept as written, in the page's own offset (not
  converted to UTC), so its calendar date is the one the page shows;
- a date without a time of day becomes midnight UTC of that date, and a
  warning says so;
- a time without an offset is taken as UTC, and a warning says so.

Values from the future (after the capture, with a day's slack for time
zones) or before 1990 are ignored as page furniture, not publication dates.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

_DATE_ONLY = re.compile(r"^\d{4}-?\d{2}-?\d{2}$")
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})")
_SPACE_BEFORE_OFFSET = re.compile(r"(\d)\s+(?=[+-]\d{2}:?\d{2}$|Z$)")
_EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)
_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class Published:
    """A normalized publication time, and what was made up to fit the schema (if anything)."""

    iso: str
    has_time: bool
    warning: str | None = None


def parse_published(raw: str, *, not_after: datetime | None = None) -> Published | None:
    """*raw* (ISO 8601, RFC 2822, ``YYYY/MM/DD``) as a schema timestamp, or None if unreadable or implausible."""
    text = _SPACE_BEFORE_OFFSET.sub(r"\1", raw.strip())
    text = _SLASHED.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", text)
    if _DATE_ONLY.match(text):
        return _from_date(text, raw, not_after)
    parsed = _parse_datetime(text)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        aware = parsed.replace(tzinfo=timezone.utc)
        warning = f"published_at: the page gives no UTC offset ({raw!r}); stored as UTC"
    else:
        aware, warning = _whole_minute_offset(parsed), None
    if not _plausible(aware, not_after):
        return None
    return Published(iso=aware.isoformat(), has_time=True, warning=warning)


def pick_published(
    candidates: list[tuple[str, str]], *, fallback_day: str | None = None, not_after: datetime | None = None
) -> Published | None:
    """The first readable candidate; a date-only one yields to a later full timestamp of the same day.

    *fallback_day* (``YYYY-MM-DD``, e.g. from htmldate's heuristics) is used
    only when no candidate is readable.
    """
    readable = [p for raw, _source in candidates if (p := parse_published(raw, not_after=not_after))]
    if not readable:
        return parse_published(fallback_day, not_after=not_after) if fallback_day else None
    best = readable[0]
    if not best.has_time:
        same_day = (p for p in readable if p.has_time and p.iso[:10] == best.iso[:10])
        best = next(same_day, best)
    return best


def _from_date(text: str, raw: str, not_after: datetime | None) -> Published | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    midnight = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    if not _plausible(midnight, not_after):
        return None
    warning = f"published_at: the page gives a date without a time ({raw.strip()!r}); stored as midnight UTC"
    return Published(iso=midnight.isoformat(), has_time=False, warning=warning)


def _parse_datetime(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _whole_minute_offset(moment: datetime) -> datetime:
    # The schema's offset is ±HH:MM; historical zone offsets with seconds go to UTC instead.
    offset = moment.utcoffset()
    if offset is not None and offset.seconds % 60:
        return moment.astimezone(timezone.utc)
    return moment


def _plausible(moment: datetime, not_after: datetime | None) -> bool:
    if moment < _EARLIEST:
        return False
    return not_after is None or moment <= not_after + _SLACK
