"""Dates in sitemaps and feeds: W3C datetimes (``2026-03-05``, ``2026-03-05T09:12:00+00:00``) and RFC 822.

A value without an offset is taken as UTC (the sitemap protocol asks for an
offset; feeds written by hand often leave it out); unreadable text gives
None, so a bad date only costs its hint, never the URL it came with.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from email.utils import parsedate_to_datetime


def parse_w3c(text: str | None) -> datetime | None:
    """A W3C (ISO 8601) date or datetime, aware; None if *text* is empty or not one."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), tzinfo=timezone.utc)
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def parse_feed_date(text: str | None) -> datetime | None:
    """An RSS ``pubDate`` (RFC 822) or an Atom/Dublin Core W3C datetime, aware; None if unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    if text[:4].isdigit():
        return parse_w3c(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
