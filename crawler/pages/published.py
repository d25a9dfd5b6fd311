"""The publication time of a page of a site without a profile, from its raw date statements.

Each statement is read by the one timestamp policy
(:class:`crawler.domain.timestamps.TimestampPolicy`) for a site nobody
described: machine formats only, the offset the page states kept, so its
calendar date is the one the page shows; a date without a time of day becomes
midnight UTC and a time without an offset is taken as UTC, each with a
warning. Values from the future (after the capture, with a day's slack for
time zones) or before 1990 are ignored as page furniture, not publication
dates.
"""

from __future__ import annotations

from datetime import datetime, timezone

from crawler.domain.timestamps import Timestamp, TimestampPolicy

GENERIC_TIMESTAMPS = TimestampPolicy(zone=None, human=False, earliest=datetime(1990, 1, 1, tzinfo=timezone.utc))


def parse_published(raw: str, *, not_after: datetime | None = None,
                    policy: TimestampPolicy = GENERIC_TIMESTAMPS) -> Timestamp | None:
    """*raw* as the item's ``published_at``, or None if unreadable or implausible; warnings name the field."""
    found = policy.read(raw, now=not_after)
    if found is None or found.warning is None:
        return found
    return Timestamp(found.iso, found.has_time, f"published_at: {found.warning}")


def pick_published(
    candidates: list[tuple[str, str]], *, fallback_day: str | None = None, not_after: datetime | None = None,
    policy: TimestampPolicy = GENERIC_TIMESTAMPS,
) -> Timestamp | None:
    """The first readable candidate; a date-only one yields to a later full timestamp of the same day.

    *fallback_day* (``YYYY-MM-DD``, e.g. from htmldate's heuristics) is used
    only when no candidate is readable.
    """
    readable = [p for raw, _source in candidates if (p := parse_published(raw, not_after=not_after, policy=policy))]
    if not readable:
        return parse_published(fallback_day, not_after=not_after, policy=policy) if fallback_day else None
    best = readable[0]
    if not best.has_time:
        same_day = (p for p in readable if p.has_time and p.iso[:10] == best.iso[:10])
        best = next(same_day, best)
    return best
