"""Feeds: RSS 2.0, RSS 1.0 (RDF) and Atom entries, and the feeds an HTML page links to.

Entries are read with Scrapy's :func:`scrapy.utils.iterators.xmliter_lxml`,
one item at a time. An entry's URL is its RSS ``<link>`` (or a ``<guid>``
that is a permalink) or its Atom ``rel=alternate`` link, never a
``rel=replies`` or ``rel=self`` one; its date is ``pubDate``, ``dc:date``,
Atom ``published`` or else ``updated``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse
from scrapy.utils.iterators import xmliter_lxml

from crawler.pages.discovery.dates import parse_feed_date

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|feed|RDF)[\s>]")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


@dataclass(frozen=True)
class FeedEntry:
    url: str
    published: datetime | None


@dataclass
class Feed:
    """A feed's format (``rss``, ``atom``, ``rdf``; ``None`` when the body is none of them) and entries."""

    format: str | None
    entries: list[FeedEntry]
    problem: str | None = None


def read_feed(response: TextResponse) -> Feed:
    """The entries of an RSS or Atom feed, in feed order; a feed cut off mid-way keeps the entries before the cut."""
    match = _ROOT.search(response.body[:4096])
    kind = match.group(1).decode().lower() if match else None
    entries: list[FeedEntry] = []
    if kind == "rss":
        nodes, read = xmliter_lxml(response, "item"), _rss_entry
    elif kind == "rdf":
        nodes, read = xmliter_lxml(response, "item", namespace=RSS1, prefix="rss"), _rss_entry
    elif kind == "feed":
        nodes, read = xmliter_lxml(response, "entry", namespace=ATOM, prefix="atom"), _atom_entry
    else:
        return Feed(None, [])
    try:
        for node in nodes:
            if entry := read(response, node):
                entries.append(entry)
    except etree.XMLSyntaxError as e:
        return Feed(kind, entries, f"the feed is not well-formed XML ({e}); {len(entries)} entries read before it")
    return Feed(kind, entries)


def _rss_entry(response: TextResponse, node: Selector) -> FeedEntry | None:
    link = node.xpath("*[local-name()='link']/text()").get("").strip()
    if not link:
        guid = node.xpath("*[local-name()='guid'][not(@isPermaLink='false')]/text()").get("").strip()
        link = guid if guid.startswith(("http://", "https://")) else ""
    if not link:
        return None
    date = node.xpath("*[local-name()='pubDate' or local-name()='date']/text()").get()
    return FeedEntry(response.urljoin(link), parse_feed_date(date))


def _atom_entry(response: TextResponse, node: Selector) -> FeedEntry | None:
    node.register_namespace("atom", ATOM)
    link = node.xpath("atom:link[@rel='alternate' or not(@rel)]/@href").get("").strip()
    if not link:
        return None
    date = node.xpath("atom:published/text()").get() or node.xpath("atom:updated/text()").get()
    return FeedEntry(response.urljoin(link), parse_feed_date(date))


def feed_links(selector: Selector, base_url: str) -> list[str]:
    """The feeds a page announces with ``<link rel="alternate" type="application/rss+xml">`` and the like."""
    hrefs = selector.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]")
    found = [link.attrib.get("href", "").strip() for link in hrefs
             if link.attrib.get("type", "").split(";")[0].strip().lower() in _FEED_TYPES]
    return list(dict.fromkeys(urljoin(base_url, href) for href in found if href))
