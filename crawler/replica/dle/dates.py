"""Dates as DLE's ``langdate()`` writes them: PHP ``date()`` formats in Moscow time, names from the language file.

Moscow's offset comes from the tz database (UTC+4 from 2011-03-27 to
2014-10-26, UTC+3 before and after), so the Russian site's old stories show
the wall-clock time their readers saw. Today's and yesterday's dates are the
language file's words plus ``, H:i`` (``Сегодня, 14:05``, ``Yesterday, 09:12``),
decided per request, as ``comments.class.php`` and ``show.full.php`` do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from crawler.replica.clock import RELATIVE_HORIZON, DateSlot, DateStyle, Relative

MOSCOW = ZoneInfo("Europe/Moscow")

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    # The Russian language file maps F to the genitive: "14 октября 2011".
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
}  # fmt: skip
SHORT_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
}  # fmt: skip
TODAY = {"en": "Today", "ru": "Сегодня"}  # $lang['time_heute']
YESTERDAY = {"en": "Yesterday", "ru": "Вчера"}  # $lang['time_gestern']


def php_date(fmt: str, when: datetime, lang: str) -> str:
    """*when* in Moscow time through the PHP ``date()`` format *fmt* (the letters DLE's settings use)."""
    local = when.astimezone(MOSCOW)
    letters = {
        "d": f"{local.day:02d}", "j": str(local.day), "m": f"{local.month:02d}", "n": str(local.month),
        "Y": str(local.year), "y": f"{local.year % 100:02d}", "H": f"{local.hour:02d}", "G": str(local.hour),
        "i": f"{local.minute:02d}", "s": f"{local.second:02d}",
        "F": MONTHS[lang][local.month - 1], "M": SHORT_MONTHS[lang][local.month - 1],
    }  # fmt: skip
    out, escaped = [], False
    for ch in fmt:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            out.append(letters.get(ch, ch))
    return "".join(out)


def langdate(when: datetime, fmt: str, lang: str, now: datetime) -> str:
    """What DLE shows for *when* to a reader at *now*: today's and yesterday's dates by calendar day."""
    day = when.astimezone(MOSCOW).date()
    today = now.astimezone(MOSCOW).date()
    if day == today:
        return f"{TODAY[lang]}, {php_date('H:i', when, lang)}"
    if day == today - timedelta(days=1):
        return f"{YESTERDAY[lang]}, {php_date('H:i', when, lang)}"
    return php_date(fmt, when, lang)


@dataclass(frozen=True)
class EngineDateSlot(DateSlot):
    """A date the engine writes afresh on every request (a page keeps it as a slot)."""

    fmt: str = "j F Y H:i"
    lang: str = "en"
    style: DateStyle = field(default=DateStyle.PLAIN)
    relative: Relative = field(default=Relative.CALENDAR)

    def render(self, now: datetime) -> str:
        return langdate(self.when, self.fmt, self.lang, now)


def date_part(when: datetime, fmt: str, lang: str, anchor: datetime) -> str | EngineDateSlot:
    """Final text for a date that can no longer be today's or yesterday's after *anchor*; else a slot."""
    if when < anchor - RELATIVE_HORIZON:
        return php_date(fmt, when, lang)
    return EngineDateSlot(when, fmt=fmt, lang=lang)
