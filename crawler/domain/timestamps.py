"""Timestamps: the one policy by which every date a page shows is read into an aware datetime.

A :class:`TimestampPolicy` says what is known about a site's dates: its time
zone, the languages of its month names and relative words, and whether it
writes human dates at all. A site profile knows all three (topwar: Moscow,
English and Russian, ``13 September 2020 20: 59`` and ``Today, 14:05``); a
page of a site without a profile is read by the machine formats alone
(ISO 8601, RFC 2822, ``YYYY/MM/DD``), which mean the same anywhere, keeping the
offset the page states so the calendar day stays the page's own.

:func:`parse_timestamp` is the policy of one known zone as a plain function
(the normalizer the README shows). Readings are pure: relative dates
("5 minutes ago", "Yesterday, 09:12") count back from the ``now`` given — in a
crawl the capture time of the page, so reprocessing next year gives the same
result — and nothing reads as more than a day after it. Unreadable or
impossible text gives ``None``, never an exception and never a guess.
"""

from __future__ import annotations

import email.utils
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.domain.text import INVISIBLE

logger = logging.getLogger(__name__)

__all__ = ["Timestamp", "TimestampPolicy", "parse_timestamp"]

_MONTH_NAMES = [
    "january jan января январь янв",
    "february feb февраля февраль фев февр",
    "march mar марта март мар",
    "april apr апреля апрель апр",
    "may мая май",
    "june jun июня июнь июн",
    "july jul июля июль июл",
    "august aug августа август авг",
    "september sep sept сентября сентябрь сен сент",
    "october oct октября октябрь окт",
    "november nov ноября ноябрь ноя нояб",
    "december dec декабря декабрь дек",
]
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
_DAYS_BACK = {"today": 0, "сегодня": 0, "yesterday": 1, "вчера": 1, "позавчера": 2}
_UNIT_SECONDS = {
    name: seconds
    for names, seconds in [
        ("s sec secs second seconds с сек секунда секунды секунд секунду", 1),
        ("m min mins minute minutes мин минута минуты минут минуту", 60),
        ("h hr hrs hour hours ч час часа часов", 3600),
        ("d day days день дня дней сутки суток", 86400),
        ("w wk week weeks нед неделя недели недель неделю", 604800),
    ]
    for name in names.split()
}
_JUST_NOW = {"just now", "now", "a moment ago", "moments ago", "только что", "сейчас"}
_ONE = {"a": 1, "an": 1, "one": 1, None: 1}

# Patterns run on normalized text: lower case, single spaces, no spaces around a colon between digits.
_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
_SEP = r"(?: ?[,|] ?| - | )(?:(?:at|в) )?"  # between date and time: "2020, 20:59", "2020 в 20:59"
_NAMED_DATE = re.compile(
    rf"(?P<day>\d{{1,2}}) (?P<month>[a-zа-яё]+)\.?(?: (?P<year>\d{{4}})(?: ?(?:года|г\.?))?)?"
    rf"(?:{_SEP}{_TIME})?"
)
_DOTTED_DATE = re.compile(
    rf"(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.(?P<year>\d{{4}})(?: ?г\.?)?(?:{_SEP}{_TIME})?"
)
_ISO_DATE = re.compile(
    rf"(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})"
    rf"(?:(?:t|{_SEP}){_TIME}(?:[.,](?P<fraction>\d{{1,9}}))?)?"
    r" ?(?P<offset>z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?"
)
_ON_DAY = re.compile(rf"(?P<word>{'|'.join(_DAYS_BACK)})(?:{_SEP}{_TIME})?")
_AGO = re.compile(r"(?:(?P<count>\d{1,4}|an?|one) ?)?(?P<unit>[a-zа-я]+)\.? (?:ago|назад)")
_STRAY_COLON = re.compile(r"(?<=\d) ?: ?(?=\d)")

_MAX_TIMESTAMP_LENGTH = 200  # longer text is not a timestamp, and would make dateparser crawl


class _YearlessDate(NamedTuple):
    """A day and month with a time but no year: which year depends on ``now``."""

    month: int
    day: int
    hour: int
    minute: int
    second: int


class _Unread(NamedTuple):
    """Text no fixed shape matched, normalized for the relative shapes and dateparser."""

    text: str


# How far past "now" a date may lie: a site's clock may run a little ahead of ours, no more.
_FUTURE_SLACK = timedelta(days=1)


# Machine formats besides ISO 8601 as the regular expression above reads it.
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})")
_DATE_ONLY = re.compile(r"^\d{4}-?\d{2}-?\d{2}$")
_SPACE_BEFORE_OFFSET = re.compile(r"(\d)\s+(?=[+-]\d{2}:?\d{2}$|Z$)")
# RFC 2822 (HTTP, RSS): "Sat, 26 Sep 2020 22:00:27 GMT". email.utils reads much else too, some of it wrongly
# ("September 13, 2020 8:59 PM" as 08:59), so only this shape goes to it.
_RFC2822 = re.compile(r"(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?"
                      r"(?:\s+(?:[+-]\d{4}|[a-z]{1,5}))?", re.IGNORECASE)


class _Reading(NamedTuple):
    """A date read without needing ``now``: the instant, whether the text gave a time of day, and whether it
    stated its offset (when the policy knows no zone, a reading without one is taken as UTC)."""

    when: datetime
    has_time: bool = True
    stated_offset: bool = True


@dataclass(frozen=True)
class Timestamp:
    """A date as the JSON Lines give it (ISO 8601 with offset), whether the page gave a time of day, and what
    had to be assumed to give it an offset or a time (a sentence for the item's warnings; None: nothing)."""

    iso: str
    has_time: bool = True
    warning: str | None = None

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.iso)


@dataclass(frozen=True)
class TimestampPolicy:
    """How one site writes dates, and so how its date strings are read.

    *zone*: the site's time zone, when known: wall times are read in it and
    every result is given in it. ``None`` (a site nobody described): a stated
    offset is kept as written, a time without one is taken as UTC and a date
    without a time as midnight UTC, each with a warning. *languages*: of
    month names and relative words (dateparser's codes; empty: any it
    knows). *human*: whether the site writes human dates (named months,
    ``13.09.2020``, ``Today, 14:05``, ``5 minutes ago``, what dateparser
    reads); without it only the machine formats are read. *earliest*: a
    reading before it is page furniture (an epoch placeholder), not a date.
    *formats*: the site's own ``strptime`` formats (a DLE site's ``date()``
    setting, ``%d-%m-%Y, %H:%M``), tried first: they settle what a numeric date
    means on that site (day first, month first).
    """

    zone: tzinfo | None = None
    languages: tuple[str, ...] = ()
    human: bool = True
    earliest: datetime | None = None
    formats: tuple[str, ...] = ()

    def read(self, text: str | None, *, now: datetime | None = None) -> Timestamp | None:
        """*text* as a :class:`Timestamp`, or None when it is unreadable, impossible or implausible."""
        reading = _read(text, self.zone, now, self.languages, self.human, self.formats)
        if reading is None or (self.earliest is not None and reading.when < self.earliest):
            return None
        warning = None
        if self.zone is None and isinstance(text, str):
            if not reading.has_time:
                warning = f"the page gives a date without a time ({text.strip()!r}); stored as midnight UTC"
            elif not reading.stated_offset:
                warning = f"the page gives no UTC offset ({text!r}); stored as UTC"
        return Timestamp(reading.when.isoformat(), reading.has_time, warning)


def parse_timestamp(
    text: str | None,
    *,
    tz: str | tzinfo,
    now: datetime | None = None,
    languages: Sequence[str] | None = None,
) -> datetime | None:
    """Read a date and time as a page shows it; return it aware, in the site's zone *tz*.

    The policy of a site whose zone is known (:class:`TimestampPolicy` with
    *zone*), as a function. Text without an offset is wall time in *tz* (a
    zoneinfo name or a tzinfo), with the offset in force on that date. Text
    with an offset is converted to *tz*. Relative text ("5 minutes ago",
    "Yesterday, 09:12") counts back from *now*, an aware datetime: during a
    crawl, the capture's fetch time; it reads to the minute, as does any text
    that gives no seconds. ``now=None`` means the current time. Nothing reads as
    more than a day after *now*: a day and month without a year is the latest
    such date no later than that. A date without a time of day reads as its
    midnight. A wall time that a clock change skipped reads as the same instant
    after the change; one that happened twice, as the first.

    English and Russian shapes and the machine formats take a fast path;
    anything else goes to dateparser (in *languages*, or all it knows), which
    must find a day, month and year. Unreadable or impossible text gives
    ``None``: never an exception, never a guess. Only a bad *tz* or a naive
    *now*, which are the caller's mistakes, raise ValueError.

    >>> parse_timestamp("13 September 2020 20: 59", tz="Europe/Moscow").isoformat()
    '2020-09-13T20:59:00+03:00'
    >>> parse_timestamp("13 сентября 2020, 20:59", tz="Europe/Moscow").isoformat()
    '2020-09-13T20:59:00+03:00'
    >>> fetched = datetime(2020, 9, 13, 18, 30, tzinfo=timezone.utc)
    >>> parse_timestamp("Вчера, 09:12", tz="Europe/Moscow", now=fetched).isoformat()
    '2020-09-12T09:12:00+03:00'
    >>> parse_timestamp("2 hours ago", tz="Europe/Moscow", now=fetched).isoformat()
    '2020-09-13T19:30:00+03:00'
    >>> parse_timestamp("31 Smarch 2020 25:61", tz="Europe/Moscow", languages=["en", "ru"]) is None
    True
    """
    reading = _read(text, _zone(tz), now, tuple(languages or ()), True)
    return reading.when if reading is not None else None


def _read(text: str | None, zone: tzinfo | None, now: datetime | None, languages: tuple[str, ...],
          human: bool, formats: tuple[str, ...] = ()) -> _Reading | None:
    if now is not None and now.utcoffset() is None:
        raise ValueError(f"now must be an aware datetime (a capture time), got naive {now.isoformat()}")
    if not isinstance(text, str) or len(text) > _MAX_TIMESTAMP_LENGTH:
        return None
    found = _read_fixed_shapes(text, zone, human, formats)
    if found is None:
        return None
    if isinstance(found, _Reading):
        # A site's clock may run a little ahead of ours; a date further ahead than that is no date.
        limit = now if now is not None else datetime.now(timezone.utc)
        return found if found.when <= limit + _FUTURE_SLACK else None
    wall_zone = zone or timezone.utc
    now_local = _now_in(wall_zone, now)
    if isinstance(found, _YearlessDate):
        when = _latest_year(found, now_local)
    else:
        when = _relative(found.text, wall_zone, now_local, languages)
    return _Reading(when, stated_offset=zone is not None) if when is not None else None


def _relative(norm: str, zone: tzinfo, now_local: datetime, languages: tuple[str, ...]) -> datetime | None:
    """Text that counts from ``now`` (today, yesterday, ago), else whatever dateparser makes of it."""
    if norm in _JUST_NOW:
        return _to_minute(now_local)
    if (match := _AGO.fullmatch(norm)) and (unit := _UNIT_SECONDS.get(match["unit"])):
        count = int(match["count"]) if (match["count"] or "").isdigit() else _ONE[match["count"]]
        return _to_minute((now_local.astimezone(timezone.utc) - timedelta(seconds=count * unit)).astimezone(zone))
    if match := _ON_DAY.fullmatch(norm):
        day = now_local.date() - timedelta(days=_DAYS_BACK[match["word"]])
        return _local(day.year, day.month, day.day, *_clock(match), zone=zone)
    return _dateparser(norm, zone, now_local, languages)


def _to_minute(when: datetime) -> datetime:
    # "5 minutes ago" is no more precise than the minute; the fetch time's seconds would be noise.
    return when.replace(second=0, microsecond=0)


@lru_cache(maxsize=32768)
def _read_fixed_shapes(text: str, zone: tzinfo | None, human: bool,
                       formats: tuple[str, ...] = ()) -> _Reading | _YearlessDate | _Unread | None:
    """The shapes whose reading does not depend on ``now``, cached since pages repeat them.

    The site's own *formats* come first. Text no shape reads is handed on
    (:class:`_Unread`) to the relative shapes and dateparser when the policy
    reads human dates, else it is unreadable.
    """
    spaced = " ".join(text.split())
    for site_format in formats:
        if not _could_be(site_format).fullmatch(spaced):
            continue  # strptime's ValueError for text of another shape costs more than reading it
        try:
            parsed = datetime.strptime(spaced, site_format)
        except ValueError:
            continue
        has_time = any(code in site_format for code in ("%H", "%I", "%M"))
        if parsed.utcoffset() is not None:
            return _Reading(_in_zone(parsed, zone), has_time)
        return _Reading(_localize(parsed, zone or timezone.utc), has_time, zone is not None)
    norm = _STRAY_COLON.sub(":", " ".join(text.translate(INVISIBLE).lower().split()))
    if human and (match := _NAMED_DATE.fullmatch(norm)):
        month = _MONTHS.get(match["month"])
        if month is None:
            return _Unread(norm)
        if match["year"] is None:
            return _yearless(month, int(match["day"]), _clock(match))
        return _wall(int(match["year"]), month, int(match["day"]), _clock(match), match["hour"], zone)
    if human and (match := _DOTTED_DATE.fullmatch(norm)):
        return _wall(int(match["year"]), int(match["month"]), int(match["day"]), _clock(match), match["hour"], zone)
    if match := _ISO_DATE.fullmatch(norm):
        return _iso(match, zone)
    found = _other_machine_format(text.strip(), zone)
    if found is not None or not human:
        return found
    return _Unread(norm)


# strptime directives that read digits only; any other (names, %z, %p…) is let through as anything.
_DIGIT_DIRECTIVES = frozenset("dmyYHIMSfjUWwuVGg")


@lru_cache(maxsize=64)
def _could_be(site_format: str) -> re.Pattern[str]:
    """A pattern every text that ``strptime(text, site_format)`` reads matches (and more): a quick first test."""
    parts, rest = [], site_format
    while rest:
        if rest.startswith("%") and len(rest) > 1:
            directive, rest = rest[1], rest[2:]
            parts.append("%" if directive == "%" else r"\s?\d+" if directive in _DIGIT_DIRECTIVES else ".*?")
        elif rest[0].isspace():
            parts.append(r"\s+")
            rest = rest.lstrip()
        else:
            parts.append(re.escape(rest[0]))
            rest = rest[1:]
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def _wall(year: int, month: int, day: int, clock: tuple[int, int, int], hour: str | None,
          zone: tzinfo | None) -> _Reading | None:
    when = _local(year, month, day, *clock, zone=zone or timezone.utc)
    return _Reading(when, hour is not None, zone is not None) if when is not None else None


def _iso(match: re.Match[str], zone: tzinfo | None) -> _Reading | None:
    fraction = (match["fraction"] or "")[:6].ljust(6, "0")
    offset = match["offset"]
    has_time = match["hour"] is not None
    try:
        year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
        naive = datetime(year, month, day, *_clock(match), int(fraction))
        if offset is None:
            return _Reading(_localize(naive, zone or timezone.utc), has_time, zone is not None)
        if offset in ("z", "utc", "gmt"):
            given: tzinfo = timezone.utc
        else:
            hours, minutes = int(offset[1:3]), int(offset[-2:]) if len(offset) > 3 else 0
            sign = -1 if offset[0] == "-" else 1
            given = timezone(sign * timedelta(hours=hours, minutes=minutes))
        return _Reading(_in_zone(naive.replace(tzinfo=given), zone), has_time)
    except (ValueError, OverflowError):
        return None


def _other_machine_format(text: str, zone: tzinfo | None) -> _Reading | None:
    """RFC 2822 (``Sat, 26 Sep 2020 22:00:27 GMT``), ``YYYY/MM/DD``, and ISO 8601 forms the pattern misses."""
    text = _SLASHED.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", _SPACE_BEFORE_OFFSET.sub(r"\1", text))
    try:
        if _DATE_ONLY.match(text):
            day = date.fromisoformat(text)
            return _Reading(_localize(datetime(day.year, day.month, day.day), zone or timezone.utc), False,
                            zone is not None)
        if _RFC2822.fullmatch(text):
            parsed = email.utils.parsedate_to_datetime(text)
        else:
            parsed = datetime.fromisoformat(text)
        if parsed.utcoffset() is None:
            return _Reading(_localize(parsed, zone or timezone.utc), True, zone is not None)
        return _Reading(_in_zone(parsed, zone))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _in_zone(moment: datetime, zone: tzinfo | None) -> datetime:
    """*moment* in the site's zone; with none known, in its own offset if that is whole minutes, else UTC."""
    if zone is not None:
        return moment.astimezone(zone)
    offset = moment.utcoffset()
    return moment.astimezone(timezone.utc) if offset is not None and offset.seconds % 60 else moment


def _clock(match: re.Match[str]) -> tuple[int, int, int]:
    if match["hour"] is None:
        return 0, 0, 0
    return int(match["hour"]), int(match["minute"]), int(match["second"] or 0)


def _yearless(month: int, day: int, clock: tuple[int, int, int]) -> _YearlessDate | None:
    hour, minute, second = clock
    if hour > 23 or minute > 59 or second > 59:
        return None
    try:
        date(2000, month, day)  # a leap year, so 29 February passes
    except ValueError:
        return None
    return _YearlessDate(month, day, hour, minute, second)


def _latest_year(found: _YearlessDate, now_local: datetime) -> datetime | None:
    latest = now_local + _FUTURE_SLACK
    for year in range(latest.year, latest.year - 8, -1):  # 29 February recurs within 8 years
        when = _local(year, *found, zone=now_local.tzinfo)
        if when is not None and when <= latest:
            return when
    return None


def _local(
    year: int, month: int, day: int, hour: int, minute: int, second: int, *, zone: tzinfo
) -> datetime | None:
    try:
        return _localize(datetime(year, month, day, hour, minute, second), zone)
    except (ValueError, OverflowError):
        return None


def _localize(naive: datetime, zone: tzinfo) -> datetime:
    # The round trip through UTC moves a wall time that a DST change skipped onto a real one.
    return naive.replace(tzinfo=zone).astimezone(timezone.utc).astimezone(zone)


def _zone(tz: str | tzinfo) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as e:
        raise ValueError(f"unknown time zone {tz!r}: give a zoneinfo name such as 'Europe/Moscow'") from e


def _now_in(zone: tzinfo, now: datetime | None) -> datetime:
    return datetime.now(zone) if now is None else now.astimezone(zone)


_SECONDS = re.compile(r"\d:\d\d:\d\d")


def _dateparser(
    text: str, zone: tzinfo, now_local: datetime, languages: Sequence[str] | None
) -> datetime | None:
    import dateparser  # imported on first need: it takes a second to load and most crawls never call it

    settings = {
        # A date missing any of these is a guess, not a reading.
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DATES_FROM": "past",
        # Wall time in the zone; dateparser's own zone handling (pytz) stays out of it, so
        # a naive answer is local wall time and only text with an offset comes back aware.
        "RELATIVE_BASE": now_local.replace(tzinfo=None),
    }
    try:
        found = dateparser.parse(text, languages=list(languages) if languages else None, settings=settings)
    except Exception as e:  # noqa: BLE001 - its failures on odd text are undocumented; None is our contract
        logger.debug("dateparser failed on %r: %r", text, e)
        return None
    if found is None:
        return None
    try:
        when = found.astimezone(zone) if found.utcoffset() is not None else _localize(found, zone)
    except (ValueError, OverflowError):
        return None
    if when > now_local + _FUTURE_SLACK:
        return None  # "in 3 years": a comment or article cannot come from the future
    # Seconds the text does not give come from the reference time ("1 month ago"): noise.
    return when if _SECONDS.search(text) else _to_minute(when)

