"""Normalizers: turn the strings a page shows into typed, comparable values.

:func:`parse_timestamp`, :func:`parse_score`, :func:`clean_title` and
:func:`clean_text` are pure functions, cheap enough to call for every comment
of every page. None of them raises on page text: what cannot be read comes
back as ``None``, for the caller to note in the item's ``warnings``.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

logger = logging.getLogger(__name__)

__all__ = ["clean_text", "clean_title", "parse_score", "parse_timestamp"]

# Characters that are invisible on the page but break matching and comparison: zero-width
# space, word joiner, BOM, soft hyphen and control characters that are not line breaks.
# ZWJ and ZWNJ stay: they hold emoji sequences and some scripts together.
_INVISIBLE = {ord(c): None for c in "\u200b\u2060\ufeff\u00ad\x7f"} | {
    c: None for c in [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x1F]
}
_ANY_INVISIBLE = re.compile("[" + "".join(re.escape(chr(code)) for code in _INVISIBLE) + "]")
# Only well-formed references: html.unescape alone would also rewrite "&para" in "&paragraph".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# --- timestamps -------------------------------------------------------------------------------

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


def parse_timestamp(
    text: str | None,
    *,
    tz: str | tzinfo,
    now: datetime | None = None,
    languages: Sequence[str] | None = None,
) -> datetime | None:
    """Read a date and time as a page shows it; return it aware, in the site's zone *tz*.

    Text without an offset is wall time in *tz* (a zoneinfo name or a tzinfo), with the
    offset in force on that date. Text with an offset is converted to *tz*. Relative
    text ("5 minutes ago", "Yesterday, 09:12") counts back from *now*, an aware
    datetime: during a crawl, the capture's fetch time; it reads to the minute, as
    does any text that gives no seconds. ``now=None`` means the current time. Nothing
    reads as more than a day after *now*: a day and month without a year is the
    latest such date no later than that. A date without a time of day reads as its midnight. A wall
    time that a clock change skipped reads as the same instant after the change; one
    that happened twice, as the first.

    English and Russian shapes take a fast path; anything else goes to dateparser
    (in *languages*, or all it knows), which must find a day, month and year.
    Unreadable or impossible text gives ``None``: never an exception, never a guess.
    Only a bad *tz* or a naive *now*, which are the caller's mistakes, raise ValueError.

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
    zone = _zone(tz)
    if not isinstance(text, str) or len(text) > _MAX_TIMESTAMP_LENGTH:
        return None
    found = _read_fixed_shapes(text, zone)
    if found is None or isinstance(found, datetime):
        return found
    now_local = _now_in(zone, now)
    if isinstance(found, _YearlessDate):
        return _latest_year(found, now_local)
    norm = found.text
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
def _read_fixed_shapes(text: str, zone: tzinfo) -> datetime | _YearlessDate | _Unread | None:
    """The shapes whose reading does not depend on ``now``, cached since pages repeat them."""
    norm = _STRAY_COLON.sub(":", " ".join(text.translate(_INVISIBLE).lower().split()))
    if match := _NAMED_DATE.fullmatch(norm):
        month = _MONTHS.get(match["month"])
        if month is not None:
            if match["year"] is None:
                return _yearless(month, int(match["day"]), _clock(match))
            return _local(int(match["year"]), month, int(match["day"]), *_clock(match), zone=zone)
    elif match := _DOTTED_DATE.fullmatch(norm):
        return _local(int(match["year"]), int(match["month"]), int(match["day"]), *_clock(match), zone=zone)
    elif match := _ISO_DATE.fullmatch(norm):
        return _iso(match, zone)
    return _Unread(norm)


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


def _iso(match: re.Match[str], zone: tzinfo) -> datetime | None:
    fraction = (match["fraction"] or "")[:6].ljust(6, "0")
    offset = match["offset"]
    try:
        year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
        naive = datetime(year, month, day, *_clock(match), int(fraction))
        if offset is None:
            return _localize(naive, zone)
        if offset in ("z", "utc", "gmt"):
            given = timezone.utc
        else:
            hours, minutes = int(offset[1:3]), int(offset[-2:]) if len(offset) > 3 else 0
            sign = -1 if offset[0] == "-" else 1
            given = timezone(sign * timedelta(hours=hours, minutes=minutes))
        return naive.replace(tzinfo=given).astimezone(zone)
    except (ValueError, OverflowError):
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
    if now is None:
        return datetime.now(zone)
    if now.utcoffset() is None:
        raise ValueError(f"now must be an aware datetime (a capture time), got naive {now.isoformat()}")
    return now.astimezone(zone)


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


# --- scores -----------------------------------------------------------------------------------

# Minus signs a page may use instead of "-": U+2212 minus, figure and en dashes, small and full-width forms.
_SCORE_CHARS = _INVISIBLE | str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-",
                                           "\uff0d": "-", "\ufe62": "+", "\uff0b": "+"})
_SCORE = re.compile(r"([+-]?) ?(\d{1,3}(?:[ ,]\d{3})+|\d{1,12})", re.ASCII)


def parse_score(text: str | None) -> int | None:
    """Read a comment's rating: a signed whole number, maybe with thousands separators.

    >>> [parse_score(s) for s in ["+2", "0", "\u22123", " +15 ", "1,234", "\u2014", None]]
    [2, 0, -3, 15, 1234, None, None]
    """
    if not isinstance(text, str):
        return None
    match = _SCORE.fullmatch(" ".join(text.translate(_SCORE_CHARS).split()))
    if match is None:
        return None
    value = int(match[2].replace(",", "").replace(" ", ""))
    return -value if match[1] == "-" else value


# --- titles and text --------------------------------------------------------------------------

_PREFIX_SEPARATOR = r"(?:\s*[:|—–·•»/]\s*|\s+-+\s+)"
_SUFFIX_SEPARATOR = r"(?:\s*[:|—–·•»/]\s*|\s+-+\s*)"


def clean_title(text: str | None, *, site_suffixes: Sequence[str] = ()) -> str | None:
    """Tidy a title or other one-line text; drop the site's name around it.

    Entities are unescaped, the text is NFC, invisible characters go and all
    whitespace (line breaks too) becomes single spaces. A name in *site_suffixes*
    is dropped at the end or the start, whatever separator sets it off.

    >>> clean_title("A&nbsp;source\\nreveals &amp; more | Military Review", site_suffixes=["Military Review"])
    'A source reveals & more'
    >>> clean_title("Military Review: News", site_suffixes=["Military Review"])
    'News'
    >>> clean_title(" \\u200b ") is None
    True
    """
    if not isinstance(text, str):
        return None
    title = " ".join(_normalize_characters(text).split())
    names = tuple(name for name in site_suffixes if name.strip())
    if names and title:
        pattern = _site_name_pattern(names)
        while (stripped := pattern.fullmatch(title)["title"]) != title:
            title = stripped
    return title or None


@lru_cache(maxsize=64)
def _site_name_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(" ".join(_normalize_characters(name).split())) for name in names)
    return re.compile(
        rf"(?:(?:{alternatives}){_PREFIX_SEPARATOR})?(?P<title>.*?)"
        rf"(?:{_SUFFIX_SEPARATOR}(?:{alternatives}))?",
        re.IGNORECASE | re.DOTALL,
    )


def clean_text(text: str | None, *, boilerplate: Sequence[str | re.Pattern[str]] = ()) -> str | None:
    r"""Tidy extracted plain text into paragraphs separated by a blank line.

    Entities are unescaped, the text is NFC and invisible characters go. Within a
    line, whitespace runs become one space; lines are stripped; a single line break
    stays ``\n``; two or more make one paragraph break (``\n\n``). A paragraph is
    dropped if it equals or starts with a string in *boilerplate*, or if a compiled
    pattern there finds a match in it.

    >>> clean_text("One&nbsp; line\r\nnext line\n\n\n\tTwo\n\nUsed photos: x", boilerplate=["Used photos:"])
    'One line\nnext line\n\nTwo'
    >>> clean_text(" \n\u00a0\n") is None
    True
    """
    if not isinstance(text, str):
        return None
    paragraphs: list[str] = []
    lines: list[str] = []
    for raw_line in _normalize_characters(text).replace("\u2029", "\n\n").splitlines():
        if line := " ".join(raw_line.split()):
            lines.append(line)
        elif lines:
            paragraphs.append("\n".join(lines))
            lines = []
    if lines:
        paragraphs.append("\n".join(lines))
    kept = [p for p in paragraphs if not _is_boilerplate(p, boilerplate)]
    return "\n\n".join(kept) or None


def _is_boilerplate(paragraph: str, boilerplate: Sequence[str | re.Pattern[str]]) -> bool:
    for entry in boilerplate:
        if isinstance(entry, str):
            if entry and paragraph.startswith(entry):
                return True
        elif entry.search(paragraph) is not None:
            return True
    return False


def _normalize_characters(text: str) -> str:
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    text = unicodedata.normalize("NFC", text)
    # Looking for them is cheaper than translate(), which builds a new string whatever it finds.
    return text.translate(_INVISIBLE) if _ANY_INVISIBLE.search(text) else text
