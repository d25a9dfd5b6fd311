"""Every statement of an article page's publication time, as a candidate with its own offset and place.

Candidates come from what the page states about itself (the JSON-LD article's
``datePublished``, OpenGraph and other meta tags, microdata, ``<time
pubdate>``), from the article's header (``<time datetime>`` and dates printed
in date-like elements: bylines, datelines, "Stand:", "Aktualisiert:"; see
:mod:`crawler.pages.layout`), and from the URL path (``/2023/11/02/``).
Dates in navigation, sidebars, teaser lists and comments are not
candidates. Each source has a weight for how often it is right: the
article's own metadata most, a generic ``<meta name="date">`` or a line
labelled as an update least. :mod:`crawler.pages.dates` chooses among them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

from lxml import etree

from crawler.pages.comment_vocabulary import element_tokens, words_of
from crawler.pages.layout import Layout, text_of
from crawler.pages.published import parse_published
from crawler.pages.visible_dates import VisibleDate, dates_in, find_date

# Meta names (lowercased) that carry the publication time, by how much they are trusted.
STRONG_META = ("article:published_time", "og:article:published_time", "og:published_time", "published_time")
NAMED_META = (
    "datepublished", "parsely-pub-date", "sailthru.date", "cxenseparse:publishtime", "vr:published-time",
    "dc.date.issued", "dcterms.issued", "citation_publication_date", "article.published", "pubdate", "pub_date",
    "publishdate", "publish-date", "publication_date", "date.available",
)
GENERIC_META = ("date", "dc.date", "dcterms.date", "dcterms.created", "dc.date.created")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "last-modified")
# How much each kind of statement counts when statements disagree (the kind is the source up to ": ").
WEIGHTS = {
    "JSON-LD datePublished": 3.0, "strong meta": 3.0, "URL path": 2.5, "named meta": 2.0, "microdata": 2.0,
    "<time pubdate>": 2.0, "header <time>": 2.0, "header text": 2.0, "JSON-LD dateCreated": 1.5,
    "header date without a year": 1.5, "generic meta": 1.0, "JSON-LD WebPage datePublished": 1.0,
    "header update": 1.0, "text heuristics": 0.5,
}
# Class/id words of elements that hold a byline date.
_DATE_WORDS = frozenset({
    "date", "dates", "time", "datetime", "datum", "dateline", "byline", "published", "pubdate", "posted",
    "timestamp", "meta", "stand", "infoline", "fecha", "data", "dat", "zeit", "publication", "publish", "info",
    "details", "updated", "modified",
})
_UPDATE = re.compile(
    r"aktualisiert|updated?|modified|geändert|zuletzt|\bstand\b|mis à jour|mise à jour|actualizad|actualización|"
    r"aggiornat|bijgewerkt|обновлен|оновлен|edited", re.IGNORECASE)
_UPDATE_WORDS = frozenset({"updated", "modified", "update", "lastupdated", "stand", "changed"})
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/_-](\d{1,2})[/_-](\d{1,2})(?=[/_.-]|$)|/((?:19|20)\d\d)(\d\d)(\d\d)(?=[/_.-]|$)")
_MAX_TEXT = 160
_NOT_PRINTED = frozenset({"script", "style", "noscript", "template", "head", "title", "svg"})
US_ENGLISH = ("en-us", "en")  # page languages whose numeric dates are month first


@dataclass(frozen=True)
class DateCandidate:
    """One statement of the publication time: raw as written, where found, and what it reads as."""

    raw: str
    source: str
    moment: datetime  # aware when the page gave an offset; naive wall time otherwise
    has_time: bool

    @property
    def weight(self) -> float:
        return WEIGHTS[self.source.split(": ", 1)[0]]

    @property
    def is_utc(self) -> bool:
        return self.moment.utcoffset() == timedelta(0)


def read_statement(raw: str, source: str, not_after: datetime | None) -> DateCandidate | None:
    """A machine-readable date statement (ISO 8601, RFC 2822) as a candidate, or None if unreadable."""
    published = parse_published(raw, not_after=not_after)
    if published is None:
        return None
    moment = datetime.fromisoformat(published.iso)
    if not published.has_time:
        return DateCandidate(raw.strip(), source, moment.replace(tzinfo=None), False)
    if published.warning:  # parse_published warns exactly when it had to assume the offset
        moment = moment.replace(tzinfo=None)
    return DateCandidate(raw.strip(), source, moment, True)


def metadata_dates(
    article: dict[str, Any], page: dict[str, Any], meta: dict[str, list[str]], root: etree._Element,
    not_after: datetime | None, layout: Layout,
) -> list[DateCandidate]:
    """Candidates from what the page states about itself: JSON-LD, meta tags, microdata, ``<time pubdate>``.

    Microdata and ``<time pubdate>`` count only outside page furniture (a comment's ``<time pubdate>`` is the
    comment's time).
    """
    statements: list[tuple[Any, str]] = [
        (article.get("datePublished"), "JSON-LD datePublished"),
        (article.get("dateCreated"), "JSON-LD dateCreated"),
        (page.get("datePublished"), "JSON-LD WebPage datePublished"),
    ]
    for names, kind in ((STRONG_META, "strong meta"), (NAMED_META, "named meta"), (GENERIC_META, "generic meta")):
        statements.extend((value, f"{kind}: {name}") for name in names for value in meta.get(name, []))
    for element in root.iterfind(".//*[@itemprop='datePublished']"):
        if element.tag != "meta" and not layout.in_furniture(element):
            statements.append((element.get("datetime") or element.get("content") or text_of(element), "microdata"))
            break
    for element in root.iterfind(".//time[@pubdate]"):
        if element.get("datetime") and not layout.in_furniture(element):
            statements.append((element.get("datetime"), "<time pubdate>"))
            break
    found = []
    for raw, source in statements:
        if isinstance(raw, list):
            raw = next((entry for entry in raw if isinstance(entry, str)), None)
        if isinstance(raw, str) and raw.strip() and (candidate := read_statement(raw, source, not_after)):
            found.append(candidate)
    return found


def url_date(url: str, not_after: datetime | None) -> DateCandidate | None:
    """The day a URL path gives (``/2023/11/02/``, ``/2023-11-02-slug``, ``/20231102/``), if any."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    for match in _URL_DATE.finditer(path):
        parts = [part for part in match.groups() if part]
        try:
            day = date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            continue
        if not_after is None or day <= (not_after + timedelta(days=1)).date():
            return DateCandidate(match.group(0), "URL path", datetime(day.year, day.month, day.day), False)
    return None


def header_dates(
    header: list[etree._Element], not_after: datetime | None, *, language: str | None,
    year_hint: int | None = None,
) -> list[DateCandidate]:
    """Candidates from the article's header: ``<time datetime>`` and printed dates in date-like elements."""
    month_first = language in US_ENGLISH
    found: list[DateCandidate] = []
    header_set = set(header)
    for element in header:
        if element.tag != "time" and not _names_a_date(element):
            continue
        if element.get("pubdate") is not None or element.get("itemprop") == "datePublished":
            continue  # a statement of its own, counted once among the metadata
        if element.tag != "time" and any(inner in header_set and (inner.tag == "time" or _names_a_date(inner))
                                         for inner in element.iterdescendants()):
            continue  # the innermost date element speaks for itself
        text = text_of(element)
        update = bool(_UPDATE.search(text[:40])) or bool(_word_set(element) & _UPDATE_WORDS)
        kind = "header update" if update else None
        if (stamp := element.get("datetime")) and (candidate := read_statement(stamp, kind or "header <time>",
                                                                               not_after)):
            found.append(candidate)
            continue
        if len(text) > _MAX_TEXT:
            continue
        if printed := find_date(text, month_first=month_first):
            found.extend(_printed(printed, kind or "header text", not_after))
        elif (printed := find_date(text, month_first=month_first, need_year=False)) and not update:
            year = _year_for(printed, not_after, year_hint)
            if year is not None:
                found.extend(_printed(printed, "header date without a year", not_after, year))
    return found


def datelines(header: list[etree._Element]) -> set[str]:
    """The texts of the header's date lines ("Posted 04/09/2020 at 3:15 pm"): bylines, not article text."""
    lines = set()
    for element in header:
        if element.tag == "time" or _names_a_date(element):
            text = text_of(element)
            if 0 < len(text) <= _MAX_TEXT and find_date(text, need_year=False) is not None:
                lines.add(text)
    return lines


def printed_in_content(day: date, root: etree._Element, layout: Layout, *, month_first: bool) -> bool:
    """Whether the page prints *day* outside its furniture: in the article, its header, its text or its own box.

    A guess made from the whole page (htmldate's, through trafilatura) may come from a sidebar's link
    or a teaser list; it stands for the article only when the article's own part of the page shows that day.
    """
    digits = (f"{day.year % 100:02d}", str(day.day))  # in any way of printing the day, as digits
    for element in root.iter():
        shown = isinstance(element.tag, str) and element.tag not in _NOT_PRINTED
        for text, owner in ((element.text if shown else None, element), (element.tail, element.getparent())):
            if not text or not all(part in text for part in digits) or owner is None or owner.tag in _NOT_PRINTED:
                continue
            if any((printed.year, printed.month, printed.day) == (day.year, day.month, day.day)
                   for printed in dates_in(text, month_first=month_first)) and not layout.in_furniture(owner):
                return True
    return False


def page_offsets(
    article: dict[str, Any], meta: dict[str, list[str]], root: etree._Element, layout: Layout,
) -> list[timedelta]:
    """Offsets the page writes its own timestamps in (modification times, ``<time>`` elements), most used first.

    Times in furniture and comment sections do not count: a comment system writes its readers' zone.
    """
    raws = [article.get("dateModified"), *(value for name in MODIFIED_META for value in meta.get(name, []))]
    times = (element for element in root.iterfind(".//time[@datetime]") if not layout.in_furniture(element))
    raws += [element.get("datetime") for element in islice(times, 20)]
    offsets: Counter[timedelta] = Counter()
    for raw in raws:
        if isinstance(raw, str) and (candidate := read_statement(raw, "generic meta", None)) and candidate.has_time:
            offset = candidate.moment.utcoffset()
            if offset:
                offsets[offset] += 1
    return [offset for offset, _count in offsets.most_common()]


def _printed(printed: VisibleDate, source: str, not_after: datetime | None,
             year: int | None = None) -> list[DateCandidate]:
    moment = printed.wall_time(year)
    if moment is None or (not_after is not None and moment.date() > (not_after + timedelta(days=1)).date()):
        return []
    return [DateCandidate(printed.text, source, moment, printed.has_time)]


def _year_for(printed: VisibleDate, not_after: datetime | None, year_hint: int | None) -> int | None:
    """A year for a date printed without one: the page's other evidence, else the latest not after the capture."""
    latest = (not_after + timedelta(days=1)).date() if not_after is not None else None
    years = [year_hint] if year_hint is not None else []
    if latest is not None:
        years += [latest.year, latest.year - 1]
    for year in years:
        moment = printed.wall_time(year)
        if moment is not None and (latest is None or moment.date() <= latest):
            return year
    return None


def _names_a_date(element: etree._Element) -> bool:
    return bool(_word_set(element) & _DATE_WORDS)


def _word_set(element: etree._Element) -> set[str]:
    return {word for token in element_tokens(element) for word in words_of(token)}
