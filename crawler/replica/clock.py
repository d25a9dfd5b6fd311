"""How the CMS writes a date: absolute forms, and the relative ones it picks per request.

The replica's site runs on Moscow time. Moscow has kept UTC+3 all year since
October 2014 and every date on the site is later, so a fixed offset is exact.

Absolute forms (one per template variant, see :class:`DateStyle`) are final
when a page is built. Relative forms ("Today, 14:05", "5 minutes ago") depend
on when the page is *requested*, so a page keeps a :class:`DateSlot` in their
place and fills it per request, as DLE's ``langdate()`` does on every hit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum

MSK = timezone(timedelta(hours=3), "MSK")

EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Russian dates name the month in the genitive: "13 сентября 2020".
RU_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip

# Dates older than this before the clock anchor can never render relative again.
RELATIVE_HORIZON = timedelta(days=3)


class DateStyle(Enum):
    """The absolute forms the site's template variants write."""

    TRANSLATED = "translated"  # 13 September 2020 20: 59 (machine translation's stray space)
    PLAIN = "plain"  # 13 September 2020 20:59
    RUSSIAN = "russian"  # 13 сентября 2020 20:59 (left untranslated)
    NUMERIC = "numeric"  # 13.09.2020 20:59
    ISO = "iso"  # 2020-09-13 20:59


class Relative(Enum):
    """How a template variant writes recent dates."""

    NEVER = "never"
    CALENDAR = "calendar"  # Today, 14:05 / Yesterday 09:12 (DLE's stock langdate)
    AGO = "ago"  # 5 minutes ago / 2 hours ago, for the first day


def absolute(when: datetime, style: DateStyle) -> str:
    """*when* (any timezone) written in Moscow time the way *style* writes it."""
    local = when.astimezone(MSK)
    hm = f"{local.hour:02d}:{local.minute:02d}"
    if style is DateStyle.TRANSLATED:
        return f"{local.day} {EN_MONTHS[local.month - 1]} {local.year} {local.hour:02d}: {local.minute:02d}"
    if style is DateStyle.PLAIN:
        return f"{local.day} {EN_MONTHS[local.month - 1]} {local.year} {hm}"
    if style is DateStyle.RUSSIAN:
        return f"{local.day} {RU_MONTHS[local.month - 1]} {local.year} {hm}"
    if style is DateStyle.NUMERIC:
        return f"{local.day:02d}.{local.month:02d}.{local.year} {hm}"
    return f"{local.year}-{local.month:02d}-{local.day:02d} {hm}"


def _russian_plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _ago(minutes: int, russian: bool) -> str:
    if minutes < 60:
        n = max(minutes, 1)
        if russian:
            return f"{n} {_russian_plural(n, 'минуту', 'минуты', 'минут')} назад"
        return f"{n} minute ago" if n == 1 else f"{n} minutes ago"
    n = minutes // 60
    if russian:
        return f"{n} {_russian_plural(n, 'час', 'часа', 'часов')} назад"
    return f"{n} hour ago" if n == 1 else f"{n} hours ago"


def render(when: datetime, style: DateStyle, relative: Relative, now: datetime) -> str:
    """*when* as the page shows it to a reader at *now*.

    CALENDAR names today and yesterday (by Moscow calendar day); AGO counts
    minutes, then hours, for 24 hours, then names yesterday. Older dates, and
    dates not yet due (a clock anchor later than the real clock), fall back to *style*.
    """
    russian = style is DateStyle.RUSSIAN
    local, local_now = when.astimezone(MSK), now.astimezone(MSK)
    age = local_now - local
    if relative is Relative.AGO and timedelta(0) <= age < timedelta(days=1):
        return _ago(int(age.total_seconds() // 60), russian)
    if relative is not Relative.NEVER and age >= timedelta(0):
        hm = f"{local.hour:02d}:{local.minute:02d}"
        days = (local_now.date() - local.date()).days
        if days == 0:
            return f"Сегодня, {hm}" if russian else f"Today, {hm}"
        if days == 1:
            return f"Вчера, {hm}" if russian else f"Yesterday {hm}"
    return absolute(when, style)


@dataclass(frozen=True)
class DateSlot:
    """A date a cached page renders afresh on every request."""

    when: datetime
    style: DateStyle
    relative: Relative

    def render(self, now: datetime) -> str:
        return render(self.when, self.style, self.relative, now)


def date_markup(when: datetime, style: DateStyle, relative: Relative, anchor: datetime) -> str | DateSlot:
    """The text for *when*, or a slot when it may still render relative after *anchor*."""
    if relative is Relative.NEVER or when < anchor - RELATIVE_HORIZON:
        return absolute(when, style)
    return DateSlot(when, style, relative)
