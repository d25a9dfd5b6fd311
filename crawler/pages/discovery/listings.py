"""Home and section pages: which links are articles, which are sections, which is the next page.

A link is kept only if it stays on the site (the hosts the crawl was started
on). Then, by where it sits and what its URL looks like
(:func:`crawler.pages.evidence.url_kind`):

- an article-shaped URL anywhere on the page, a comment page's article, or
  any non-listing URL that is a headline link (inside ``h1``-``h4`` or an
  ``<article>`` teaser) is an article candidate;
- a link in navigation (``<nav>``, ``role=navigation``, an element whose id
  or class names a menu) that is not article-shaped, and any
  ``/category/…``-style link, is a section;
- the next page is ``<link rel=next>``, ``<a rel=next>`` or the "next" link
  of a pagination block;
- feeds are those the page announces in ``<link rel=alternate>``.

Each teaser's ``<time datetime>`` is kept as a date hint for its headline
link, and the newest of them tells whether paging further can still reach
articles published since a given date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urldefrag, urljoin, urlsplit

from parsel import Selector

from crawler.pages.discovery.dates import parse_w3c
from crawler.pages.discovery.feeds import feed_links
from crawler.pages.evidence import UrlKind, url_kind, without_comment_page

_IN_NAVIGATION = ("ancestor::nav or ancestor::*[@role='navigation'] or ancestor::*[contains(@id, 'menu') "
                  "or contains(@class, 'menu') or contains(@id, 'navigation')]")
_HEADLINE = "ancestor::h1 or ancestor::h2 or ancestor::h3 or ancestor::h4 or ancestor::article"
_SECTION_FIRST = frozenset({"category", "categories", "section", "sections", "rubrik", "ressort"})
_NEXT = ("//link[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
         " | //a[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
         " | //*[contains(@class, 'pagination') or contains(@class, 'nav-links') or contains(@class, 'pager')]"
         "//a[contains(concat(' ', normalize-space(@class), ' '), ' next ')]/@href")


@dataclass
class Listing:
    """What a home or section page offers the crawl, each URL once, in page order."""

    articles: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    dates: dict[str, datetime] = field(default_factory=dict)  # teaser date per article link

    @property
    def newest(self) -> datetime | None:
        return max(self.dates.values(), default=None)


def same_site(url: str, hosts: frozenset[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in hosts or any(host.endswith("." + allowed) for allowed in hosts)


def read_listing(selector: Selector, page_url: str, base_url: str, hosts: frozenset[str]) -> Listing:
    """The article candidates, sections and next pages of a listing page (see the module docstring)."""
    listing = Listing()
    articles: dict[str, None] = {}
    sections: dict[str, None] = {}
    for link in selector.xpath("//a[@href]"):
        url = _absolute(base_url, link.attrib["href"])
        if url is None or url == page_url or not same_site(url, hosts):
            continue
        kind = url_kind(url)
        if kind is UrlKind.SKIP:
            continue
        if kind is UrlKind.COMMENT_PAGE:
            articles[without_comment_page(url)] = None
        elif kind is UrlKind.ARTICLE:
            articles[url] = None
        elif link.xpath(_IN_NAVIGATION).get() == "1" or _section_shaped(url):
            if kind is not UrlKind.LISTING or _section_shaped(url):
                sections[url] = None
        elif kind is UrlKind.OTHER and link.xpath(_HEADLINE).get() == "1":
            articles[url] = None
    listing.articles = list(articles)
    listing.sections = [url for url in sections if url not in articles]
    listing.next_pages = list(dict.fromkeys(
        url for href in selector.xpath(_NEXT).getall()
        if (url := _absolute(base_url, href)) and url != page_url and same_site(url, hosts)))
    listing.feeds = [url for url in feed_links(selector, base_url) if same_site(url, hosts)]
    listing.dates = _teaser_dates(selector, base_url)
    return listing


def _absolute(base_url: str, href: str) -> str | None:
    url = urldefrag(urljoin(base_url, href.strip())).url
    return url if url.startswith(("http://", "https://")) else None


def _section_shaped(url: str) -> bool:
    segments = [segment for segment in urlsplit(url).path.lower().split("/") if segment]
    return bool(segments) and segments[0] in _SECTION_FIRST


def _teaser_dates(selector: Selector, base_url: str) -> dict[str, datetime]:
    dates: dict[str, datetime] = {}
    for teaser in selector.xpath("//article[.//time[@datetime]]"):
        when = parse_w3c(teaser.xpath(".//time/@datetime").get())
        href = teaser.xpath(".//h1//a/@href | .//h2//a/@href | .//h3//a/@href | .//h4//a/@href").get()
        if when is not None and href and (url := _absolute(base_url, href)):
            dates.setdefault(url, when)
    return dates
