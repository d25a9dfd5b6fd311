"""Dates as pages print them in bylines and comment headers, in several languages, found inside longer text.

``Stand: 28.04.2020 18:00 Uhr``, ``April 9, 2020 at 12:13 pm``,
``9 avril 2020 à 12h13``, ``9 de abril de 2020``, ``13 сентября 2020, 20:59``,
``2019年6月24日``, ``Publiziert: 03.04.2020, 12:35``. What is read is a wall
time with no offset (pages print local time without saying which zone): the
caller decides which offset applies. Numeric dates are day first
(``03.04.2020``), except ``MM/DD/YYYY`` on pages in US English; ``YYYY-MM-DD``
is read as such everywhere. Month names are matched whole or by a prefix of
three letters or more that names one month only (``Sept``, ``févr.``, ``Okt``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

_MONTH_NAMES = (
    "january januar janvier enero gennaio janeiro januari januar stycznia styczeń январь января січень січня ocak",
    ("february februar février fevrier febrero febbraio fevereiro februari lutego luty февраль февраля лютий "
     "лютого şubat subat"),
    "march märz maerz mars marzo março marco maart marca marzec март марта березень березня mart",
    "april avril abril aprile kwietnia kwiecień апрель апреля квітень квітня nisan",
    "may mai mayo maggio maio mei maj maja май мая травень травня mayıs mayis",
    "june juni juin junio giugno junho czerwca czerwiec июнь июня червень червня haziran",
    "july juli juillet julio luglio julho lipca lipiec июль июля липень липня temmuz",
    "august août aout agosto augustus augusti sierpnia sierpień август августа серпень серпня ağustos agustos",
    ("september septembre septiembre settembre setembro septembrie września wrzesień сентябрь сентября "
     "вересень вересня eylül eylul"),
    ("october oktober octobre octubre ottobre outubro października październik октябрь октября жовтень "
     "жовтня ekim"),
    "november novembre noviembre novembro listopada listopad ноябрь ноября листопад листопада kasım kasim",
    ("december dezember décembre decembre diciembre dicembre dezembro grudnia grudzień декабрь декабря "
     "грудень грудня aralık aralik"),
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}

_WORD = r"[^\W\d_]{3,}\.?"
_TIME = (r"(?:\s*(?:,|\||-|–|—|um|at|à|a las|alle|às|в|o|kl\.?)?\s*)?"
         r"(?P<hour>\d{1,2})(?:[:h.]|\s*時\s*)(?P<minute>\d{2})(?:\s*分)?(?::(?P<second>\d{2}))?"
         r"(?:\s*(?P<ampm>[ap]\.?\s?m\.?)(?!\w))?")
_SHAPES = [
    ("iso", re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)"
                       r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?")),
    ("cjk", re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
                       r"(?:[^\d]{0,6}?(?P<hour>\d{1,2})\s*[時:]\s*(?P<minute>\d{2}))?")),
    ("dotted", re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{4}|\d{2})?(?![\d])")),
    ("slashed", re.compile(r"(?<![\d/])(?P<first>\d{1,2})/(?P<second_part>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d/])")),
    ("day-month", re.compile(r"(?<!\d)(?P<day>\d{1,2})(?:\.|er|st|nd|rd|th|º)?\s*(?:de\s+)?(?P<name>" + _WORD
                             + r")(?:,?\s*(?:de\s+)?(?P<year>\d{4}))?(?!\d)", re.IGNORECASE)),
    ("month-day", re.compile(r"(?P<name>" + _WORD + r")\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?"
                             r"(?!\d)", re.IGNORECASE)),
]
_TIME_AFTER = re.compile(_TIME, re.IGNORECASE)
_TIME_SPAN = 24


@dataclass(frozen=True)
class VisibleDate:
    """A date read from text: year (None when the text gives none), month, day, and the time of day if shown."""

    year: int | None
    month: int
    day: int
    hour: int | None = None
    minute: int | None = None
    second: int = 0
    text: str = ""

    @property
    def has_time(self) -> bool:
        return self.hour is not None

    def wall_time(self, year: int | None = None) -> datetime | None:
        """The naive datetime this date stands for (midnight without a time), in *year* if it has none."""
        try:
            return datetime(self.year or year or 0, self.month, self.day, self.hour or 0, self.minute or 0, self.second)
        except (ValueError, TypeError):
            return None


def find_date(text: str, *, month_first: bool = False, need_year: bool = True) -> VisibleDate | None:
    """The first date in *text* that reads as a real calendar date (``month_first``: US ``MM/DD/YYYY``)."""
    found: list[tuple[int, VisibleDate]] = []
    for kind, pattern in _SHAPES:
        for match in pattern.finditer(text):
            date = _read(kind, match, month_first)
            if date is None or (need_year and date.year is None):
                continue
            found.append((match.start(), _with_time(date, text, match.end())))
            break
    return min(found, key=lambda pair: pair[0])[1] if found else None


def dates_in(text: str, *, month_first: bool = False) -> Iterator[VisibleDate]:
    """Every date with a year that *text* prints, by each shape it reads in (no times of day)."""
    for kind, pattern in _SHAPES:
        for match in pattern.finditer(text):
            date = _read(kind, match, month_first)
            if date is not None and date.year is not None:
                yield date


def month_of(word: str) -> int | None:
    """The month a name or abbreviation stands for (``Sept.`` → 9, ``févr`` → 2), or None."""
    return _month_of(word.lower().rstrip("."))


@lru_cache(maxsize=4096)
def _month_of(word: str) -> int | None:
    if word in _MONTHS:
        return _MONTHS[word]
    if len(word) < 3:
        return None
    months = {number for name, number in _MONTHS.items() if name.startswith(word)}
    return months.pop() if len(months) == 1 else None


def _read(kind: str, match: re.Match[str], month_first: bool) -> VisibleDate | None:
    groups = match.groupdict()
    if kind in ("day-month", "month-day"):
        month = month_of(groups["name"])
        if month is None:
            return None
        day = int(groups["day"])
    elif kind == "slashed":
        first, second = int(groups["first"]), int(groups["second_part"])
        if first > 12 or (not month_first and second <= 12):
            day, month = first, second
        else:
            month, day = first, second
    else:
        month, day = int(groups["month"]), int(groups["day"])
    year = _year(groups.get("year"))
    hour = int(groups["hour"]) if groups.get("hour") else None
    minute = int(groups["minute"]) if groups.get("minute") else None
    date = VisibleDate(year, month, day, hour, minute, int(groups.get("second") or 0), match.group(0))
    return date if date.wall_time(2000) is not None and (year is None or 1990 <= year <= 2100) else None


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    year = int(raw)
    return year + 2000 if year < 100 else year


def _with_time(date: VisibleDate, text: str, end: int) -> VisibleDate:
    if date.has_time:
        return date
    match = _TIME_AFTER.match(text, end, end + _TIME_SPAN + 12)
    if match is None:
        return date
    hour, minute = int(match["hour"]), int(match["minute"])
    ampm = (match["ampm"] or "").replace(".", "").replace(" ", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return date
    return VisibleDate(date.year, date.month, date.day, hour, minute, int(match["second"] or 0),
                       date.text + match.group(0))
