"""Sitemaps: robots.txt ``Sitemap:`` lines, sitemap indexes, URL sets and Google News sitemaps.

Scrapy reads them (:func:`scrapy.utils.sitemap.sitemap_urls_from_robots`,
:class:`scrapy.utils.sitemap.Sitemap`, the body unpacking of
:class:`scrapy.spiders.SitemapSpider`). Scrapy's reader keeps only the direct
children of a ``<url>`` and so drops the Google News fields nested in
``<news:news>``; :class:`_NewsSitemap` is the one place that adds them back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.pages.discovery.dates import parse_w3c

# Sitemaps of terms and people (Yoast's post_tag-sitemap.xml, core's wp-sitemap-taxonomies-category-1.xml,
# wp-sitemap-users-1.xml…) list archive pages, never articles: not worth fetching.
_NO_ARTICLES = re.compile(r"(?:^|[-_/])(?:post_tag|tags?|categor(?:y|ies)|authors?|users?|taxonom\w*|"
                          r"product_cat|product_tag|topics?)(?:[-_.]|$)")


@dataclass(frozen=True)
class SitemapEntry:
    """A ``<url>`` or ``<sitemap>`` entry: its URL and what it says about the page's dates."""

    url: str
    lastmod: datetime | None = None
    published: datetime | None = None  # news:publication_date: a news sitemap's statement of the publication time
    title: str | None = None  # news:title

    @property
    def date_hint(self) -> datetime | None:
        """The latest the page can have been published: its publication date, else its last change."""
        return self.published or self.lastmod


@dataclass
class SitemapDocument:
    """A parsed sitemap: ``sitemapindex``, ``urlset``, or the name of whatever else the root was."""

    kind: str
    entries: list[SitemapEntry] = field(default_factory=list)
    truncated: bool = False  # the body ends before the root's end tag; its last, cut entry was left out

    @property
    def is_news(self) -> bool:
        return any(entry.published for entry in self.entries)


def sitemaps_in_robots(body: bytes, robots_url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt, each once, in order."""
    return list(dict.fromkeys(sitemap_urls_from_robots(body, base_url=robots_url)))


def lists_no_articles(sitemap_url: str) -> bool:
    """Whether a sitemap's name says it lists tags, categories or people (whose pages are not articles)."""
    name = urlsplit(sitemap_url).path.rsplit("/", 1)[-1].lower()
    return bool(_NO_ARTICLES.search(name))


_COMPLETE = re.compile(rb"</(?:[\w-]+:)?(?:urlset|sitemapindex)\s*>\s*(?:<!--.*?-->\s*)*$", re.DOTALL)


class _NewsSitemap(Sitemap):
    """Scrapy's sitemap reader, keeping ``news:publication_date`` and ``news:title`` (see the module docstring)."""

    def _process_sitemap_element(self, elem: etree._Element) -> dict[str, Any] | None:
        news: dict[str, str] = {}
        for child in elem:
            if self._get_tag_name(child) == "news":
                for part in child.iter():
                    name = self._get_tag_name(part)
                    if name in ("publication_date", "title") and part.text and part.text.strip():
                        news[name] = part.text.strip()
        found = super()._process_sitemap_element(elem)
        if found is not None:
            found.pop("news", None)
            if news:
                found["news"] = news
        return found


def read_sitemap(body: bytes, sitemap_url: str) -> SitemapDocument:
    """The entries of a sitemap body (already unpacked); relative locations resolved against *sitemap_url*."""
    try:
        document = _NewsSitemap(body)
    except (etree.XMLSyntaxError, StopIteration):
        return SitemapDocument("not XML")
    entries = list(_entries(document, sitemap_url))
    truncated = document.type in ("urlset", "sitemapindex") and not _COMPLETE.search(body[-4096:])
    if truncated and entries:
        entries.pop()  # lxml's recovery makes an entry of whatever of the last one arrived (a cut URL)
    return SitemapDocument(document.type, entries, truncated)


def _entries(document: Sitemap, sitemap_url: str) -> Iterator[SitemapEntry]:
    try:
        for found in document:
            news = found.get("news") or {}
            yield SitemapEntry(urljoin(sitemap_url, found["loc"]), parse_w3c(found.get("lastmod")),
                               parse_w3c(news.get("publication_date")), news.get("title"))
    except etree.XMLSyntaxError:  # a sitemap cut off mid-way: the entries before the break still count
        return
