"""The publication date of an article page, chosen by agreement among everything the page says, not first come.

Every statement is a candidate (:mod:`crawler.pages.date_candidates`), kept
with its own offset and where it was found. The day with the most weight
behind it wins, and on a tie the earlier day (publication comes before
updates). A time given in UTC (``…T23:01:00Z``) is read in the page's own
offset when the page writes its other times with one, and otherwise supports
both calendar days it may fall on locally, so that the URL's or the byline's
day can settle it. The stored timestamp keeps the page's own offset, so its
calendar date is the one the page shows; the statement it came from is kept
raw.

Reading one raw string is :func:`crawler.pages.published.parse_published`'s
job (ISO 8601, RFC 2822) and :mod:`crawler.pages.visible_dates`' (printed
dates); this module only chooses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from lxml import etree

from crawler.pages.date_candidates import (
    US_ENGLISH,
    DateCandidate,
    header_dates,
    metadata_dates,
    page_offsets,
    printed_in_content,
    read_statement,
    url_date,
)
from crawler.pages.layout import Layout
from crawler.pages.visible_dates import find_date

_UTC_SPREAD = (timedelta(hours=-11), timedelta(hours=13))


@dataclass(frozen=True)
class PageDates:
    """The page's publication time, and how to read its other printed times (comments) in its own offset."""

    published: ChosenDate | None
    offset: timedelta | None  # the page's own UTC offset, None when it gives none
    month_first: bool  # the page is in US English: 04/09/2020 is April 9
    not_after: datetime | None

    def stated(self, raw: str) -> str | None:
        """Another time the page states (a comment's), as ISO 8601 in the page's offset; see stated_timestamp."""
        return stated_timestamp(raw, page_offset=self.offset, not_after=self.not_after, month_first=self.month_first)


def page_dates(
    article: dict[str, Any], page: dict[str, Any], meta: dict[str, list[str]], root: etree._Element,
    layout: Layout, url: str, *, fallback_day: str | None, not_after: datetime | None,
) -> PageDates:
    """Every candidate on the page, the chosen publication time, and the page's own offset.

    *fallback_day* (htmldate's guess, via trafilatura) counts only when the page states nothing else,
    and only when the article's part of the page prints that day: a date in page furniture (a sidebar's
    "Editor's picks", a teaser list) is another article's.
    """
    language = (root.get("lang") or "").strip().lower() or None
    candidates = metadata_dates(article, page, meta, root, not_after, layout)
    fallback = read_statement(fallback_day, "text heuristics", not_after) if fallback_day else None
    strongest = max(candidates, key=lambda candidate: candidate.weight, default=fallback)
    candidates += header_dates(layout.header, not_after, language=language,
                               year_hint=strongest.moment.year if strongest else None)
    if (from_url := url_date(url, not_after)) is not None:
        candidates.append(from_url)
    if not candidates and fallback is not None and not printed_in_content(
            fallback.moment.date(), root, layout, month_first=language in US_ENGLISH):
        fallback = None  # a date from a sidebar's link or a teaser: the article itself states none
    offsets = page_offsets(article, meta, root, layout)
    chosen = choose_published(candidates, offsets=offsets, fallback=fallback)
    own = datetime.fromisoformat(chosen.iso).utcoffset() if chosen is not None else None
    offset = own or (offsets[0] if offsets else None)
    return PageDates(chosen, offset, language in US_ENGLISH, not_after)


@dataclass(frozen=True)
class ChosenDate:
    """The publication time as stored (ISO 8601 with offset), the raw statement it came from, and any warning."""

    iso: str
    raw: str
    source: str
    warning: str | None = None


def stated_timestamp(raw: str, *, page_offset: timedelta | None, not_after: datetime | None,
                     month_first: bool = False) -> str | None:
    """A timestamp the page states elsewhere (a comment's time) in ISO 8601 with offset, or None.

    Machine-readable statements are read as written; printed dates and times
    without an offset are wall time in *page_offset* (None: unknown, so no
    timestamp). A date without a time of day is not a timestamp.
    """
    candidate = read_statement(raw, "generic meta", not_after)
    if candidate is None:
        printed = find_date(raw, month_first=month_first)
        if printed is None or not printed.has_time:
            return None
        moment = printed.wall_time()
        if moment is None:
            return None
        candidate = DateCandidate(raw, "header text", moment, True)
    if not candidate.has_time:
        return None
    moment = candidate.moment
    if moment.utcoffset() is None:
        if page_offset is None:
            return None
        moment = moment.replace(tzinfo=timezone(page_offset))
    if not_after is not None and moment > not_after + timedelta(days=1):
        return None
    return moment.isoformat()


def choose_published(
    candidates: list[DateCandidate], *, offsets: list[timedelta] = (), fallback: DateCandidate | None = None,
) -> ChosenDate | None:
    """The best-supported publication time among *candidates* (*fallback* only when there are none)."""
    if not candidates:
        candidates = [fallback] if fallback else []
    if not candidates:
        return None
    own = [c.moment.utcoffset() for c in sorted(candidates, key=lambda c: -c.weight) if c.has_time
           and c.moment.utcoffset()]
    page_offset = (own or list(offsets) or [None])[0]
    support: Counter[date] = Counter()
    exact: Counter[date] = Counter()
    for candidate in candidates:
        day = _local_day(candidate, page_offset)
        exact[day] += candidate.weight
        for possible in _possible_days(candidate, page_offset):
            support[possible] += candidate.weight
    best = max(support, key=lambda day: (support[day], exact[day], -day.toordinal()))
    return _stored(best, [c for c in candidates if best in _possible_days(c, page_offset)], page_offset)


def _stored(day: date, backing: list[DateCandidate], page_offset: timedelta | None) -> ChosenDate:
    """The best way to write *day*'s time: the page's own offset first, assumed offsets last (with a warning)."""

    def rank(candidate: DateCandidate) -> tuple[int, float]:
        local = _local_day(candidate, page_offset) == day
        if candidate.has_time and candidate.moment.utcoffset() is not None and local:
            kind = 0 if not candidate.is_utc or page_offset is None else 1
        elif candidate.has_time and candidate.moment.utcoffset() is None:
            kind = 2 if page_offset is not None else 3
        elif not candidate.has_time:
            kind = 4
        else:
            kind = 5  # a UTC time whose UTC day is not the page's day
        return kind, -candidate.weight

    best = min(backing, key=rank)
    kind = rank(best)[0]
    moment = best.moment
    if kind == 0 or kind == 1:
        if page_offset is not None and best.is_utc:
            moment = moment.astimezone(timezone(page_offset))
        return ChosenDate(moment.isoformat(), best.raw, best.source)
    if kind == 2:
        return ChosenDate(moment.replace(tzinfo=timezone(page_offset)).isoformat(), best.raw, best.source)
    if kind == 3:
        warning = f"published_at: the page gives no UTC offset ({best.raw!r}); stored as UTC"
        return ChosenDate(moment.replace(tzinfo=timezone.utc).isoformat(), best.raw, best.source, warning)
    midnight = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    if kind == 4:
        warning = f"published_at: the page gives a date without a time ({best.raw!r}); stored as midnight UTC"
    else:
        warning = (f"published_at: the page gives its time in UTC ({best.raw!r}) and its local day is {day} by "
                   "other statements on the page, with no offset to convert; stored as midnight UTC of that day")
    return ChosenDate(midnight.isoformat(), best.raw, best.source, warning)


def _local_day(candidate: DateCandidate, page_offset: timedelta | None) -> date:
    if candidate.has_time and candidate.is_utc and page_offset is not None:
        return candidate.moment.astimezone(timezone(page_offset)).date()
    return candidate.moment.date()


def _possible_days(candidate: DateCandidate, page_offset: timedelta | None) -> set[date]:
    """The local days a candidate stands for: one, or two for a UTC time on a page of unknown offset."""
    day = _local_day(candidate, page_offset)
    if not (candidate.has_time and candidate.is_utc and page_offset is None):
        return {day}
    earliest, latest = (candidate.moment + spread for spread in _UTC_SPREAD)
    return {day, earliest.date(), latest.date()}
