"""Is this page a news article? Evidence that holds across sites, weighed without knowing the site.

Two questions, no I/O:

- :func:`url_kind`: what a URL's shape says before it is fetched: an
  article (a date followed by a slug, a long slug, a numeric id), a listing
  (the home page, ``/page/2/``, ``/category/…``, a date archive), a comment
  page of an article (``/comment-page-2/``, ``?cpage=2``), something never
  worth fetching for articles (feeds, tags, authors, search, log-in, files),
  or none of these.
- :func:`article_evidence`: what a fetched page says about itself. Each
  signal adds or subtracts points; a page with :data:`THRESHOLD` points or
  more is an article. The signals and weights:

  ====================================================  =====
  JSON-LD names an article type (``NewsArticle``…)          +3
  JSON-LD names a listing/profile/about/contact page        -3
  JSON-LD lists three or more articles                      -3
  JSON-LD has a ``WebPage`` and no article                  -1
  ``og:type`` is ``article``                                +2
  ``og:type`` is something else (``website``, ``profile``)  -1
  a publication date for the page (see below)               +1
  the URL (or else the canonical URL) has a date or an id   +2
  … or only a long slug (``/world/a-long-headline-slug``)   +1
  the URL has a listing's shape                             -2
  three or more teasers (``<article>`` with a heading link)
  and no long main text (else they are "related articles")  -2
  main text of 700 characters or more                       +1
  … and a publication date too                              +1
  main text under 200 characters                            -1
  ====================================================  =====

  Why not ``og:type`` alone: WordPress with Yoast SEO says ``article`` for
  every page, the About page and image attachment pages included; only
  posts get ``article:published_time`` and an ``Article`` node. Why
  ``website`` costs less than ``article`` earns: many news sites send
  ``website`` on every page; a dated long text outweighs it. The publication
  date counts once, from a meta element that names one
  (``article:published_time``, ``date``, ``pubdate``, ``dc.date``,
  ``zdf:publicationDate``…), the page's one ``itemprop=datePublished``, an
  article node's ``datePublished``, or a ``<time datetime>`` inside the page's
  one ``<article>``; a listing has many. The main text is the most text
  under one parent element, its ``<p>`` children's and its own (text broken
  by ``<br>``), outside navigation, headers, footers and asides, so a
  listing's excerpts, each under its own teaser, do not add up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from lxml import etree
from parsel import Selector

from crawler.pages.jsonld import ARTICLE_TYPES, jsonld_nodes, node_types

THRESHOLD = 3
LONG_TEXT, SHORT_TEXT = 700, 200
MANY_TEASERS = 3

_NOT_PAGES = frozenset({
    "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "avif", "pdf", "zip", "gz", "rar",
    "7z", "mp3", "mp4", "m4a", "ogg", "webm", "avi", "mov", "wav", "css", "js", "json", "xml", "rss", "atom",
    "txt", "csv", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "epub", "woff", "woff2", "ttf", "eot", "exe",
})
# Path segments of pages that never are, nor list, articles worth a visit: feeds, tags, people, search, accounts.
_SKIP_SEGMENTS = frozenset({
    "feed", "feeds", "rss", "atom", "tag", "tags", "author", "authors", "user", "users", "profile", "profiles",
    "members", "search", "suche", "login", "logout", "register", "signin", "signup", "account", "cart", "checkout",
    "subscribe", "newsletter", "print", "share", "amp", "embed", "trackback", "wp-admin", "wp-login.php",
    "wp-json", "xmlrpc.php", "wp-content", "wp-includes", "cdn-cgi", "forums",
})
_SKIP_QUERY = frozenset({"s", "q", "replytocom", "share", "print", "output", "format", "amp", "preview"})
_LISTING_FIRST = frozenset({"category", "categories", "section", "sections", "rubrik", "ressort", "topic",
                            "topics", "thema", "themen", "archive", "archives"})
_COMMENT_PAGE = re.compile(r"^comment-page-(\d+)$")
_COMMENT_QUERY = ("cpage", "comment-page", "comment_page", "comments_page")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_MONTH_OR_DAY = re.compile(r"^\d{1,2}$")
_DATE_IN_SEGMENT = re.compile(r"(?<!\d)(?:19|20)\d{2}-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])(?!\d)")
_SLUG = re.compile(r"^[^\W_]+(?:-+[^\W_]+|_[^\W_]+){3,}-*(?:\.[a-z]{2,5})?$")
_PAGE_SLUG = re.compile(r"^[^\W_]+(?:-+[^\W_]+){2,}\.(?:s?html?|php|aspx?)$")  # three words and a page extension
_NUMERIC_ID = re.compile(r"(?:^|[-_])\d{5,}(?:[-_.]|$)|^\d{4,}$|\d{6,}")
_ID_QUERY = re.compile(r"^\d{4,}$")
_PAGING_KEYS = frozenset({"page", "paged", "p_page", "start", "offset", "limit", "from", "size", "per_page"})
_LISTING_TYPES = frozenset({"CollectionPage", "ProfilePage", "SearchResultsPage", "AboutPage", "ContactPage",
                            "ItemList", "CheckoutPage", "FAQPage", "QAPage", "MediaGallery", "ImageGallery"})
# Not "form": ASP.NET pages wrap the whole page in one.
_OUTSIDE_TEXT = frozenset({"nav", "header", "footer", "aside", "script", "style", "noscript", "template"})
_INLINE = frozenset({"a", "b", "strong", "i", "em", "u", "span", "small", "sub", "sup", "mark", "q", "cite", "abbr",
                     "time", "code", "font", "s", "ins", "del"})
_DATE_METAS = frozenset({"date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date",
                         "dc.date.issued", "dcterms.date", "dcterms.issued", "dcterms.created", "sailthru.date",
                         "parsely-pub-date", "og:published_time", "published_time", "article.published"})
_HEADINGS = ("h1", "h2", "h3", "h4")


class UrlKind(Enum):
    """What a URL's shape says before the page is fetched."""

    ARTICLE = "article"
    LISTING = "listing"
    COMMENT_PAGE = "comment page"
    SKIP = "skip"
    OTHER = "other"


def url_kind(url: str) -> UrlKind:
    """The kind of page *url* looks like (see the module docstring)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return UrlKind.SKIP
    segments = [segment for segment in parts.path.lower().split("/") if segment]
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    last = segments[-1] if segments else ""
    if "." in last and last.rsplit(".", 1)[1] in _NOT_PAGES:
        return UrlKind.SKIP
    if _SKIP_SEGMENTS.intersection(segments) or _SKIP_QUERY.intersection(query):
        return UrlKind.SKIP
    if comment_page_number(url) is not None:
        return UrlKind.COMMENT_PAGE
    if not segments or (len(segments) >= 2 and segments[-2] == "page" and last.isdigit()):
        return UrlKind.LISTING
    if segments[0] in ("category", "categories"):
        return UrlKind.LISTING
    dated = _date_prefix_length(segments)
    if dated:
        return UrlKind.ARTICLE if len(segments) > dated else UrlKind.LISTING
    if _DATE_IN_SEGMENT.search(last) or _SLUG.match(last) or _PAGE_SLUG.match(last) or _NUMERIC_ID.search(last):
        return UrlKind.ARTICLE
    if any(_ID_QUERY.match(value) for key, value in query.items() if key.lower() not in _PAGING_KEYS):
        return UrlKind.ARTICLE  # index.php?newsid=179625, ?p=1927, news_lang.php?ArtNr=335853
    if segments[0] in _LISTING_FIRST:
        return UrlKind.LISTING
    return UrlKind.OTHER


def _dated_or_numbered(url: str) -> bool:
    """Whether an article-shaped URL carries a date or an id, not only a slug."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.lower().split("/") if segment]
    last = segments[-1] if segments else ""
    return bool(_date_prefix_length(segments) or _DATE_IN_SEGMENT.search(last) or _NUMERIC_ID.search(last)
                or any(_ID_QUERY.match(value) for key, value in parse_qsl(parts.query)
                       if key.lower() not in _PAGING_KEYS))


def _date_prefix_length(segments: list[str]) -> int:
    """How many segments a ``/YYYY/``, ``/YYYY/MM/`` or ``/YYYY/MM/DD/`` run takes, at any depth (0: none)."""
    for start, segment in enumerate(segments):
        if _YEAR.match(segment):
            length = 1
            while length < 3 and start + length < len(segments) and _MONTH_OR_DAY.match(segments[start + length]):
                length += 1
            return start + length
    return 0


def comment_page_number(url: str) -> int | None:
    """The comment page a URL shows (``…/comment-page-2/``, ``?cpage=2``), or None."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if segments and (match := _COMMENT_PAGE.match(segments[-1])):
        return int(match.group(1))
    for key, value in parse_qsl(parts.query):
        if key in _COMMENT_QUERY and value.isdigit():
            return int(value)
    return None


def without_comment_page(url: str) -> str:
    """*url* with its comment-page part (and fragment) removed: the article it belongs to."""
    parts = urlsplit(url)
    path = parts.path
    segments = path.split("/")
    trailing = path.endswith("/")
    kept = [segment for segment in segments if segment and not _COMMENT_PAGE.match(segment)]
    path = "/" + "/".join(kept) + ("/" if trailing and kept else "")
    query = "&".join(f"{k}={v}" for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _COMMENT_QUERY)
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


@dataclass(frozen=True)
class Evidence:
    """The points a page scored and why, in the order the signals were read."""

    score: int
    reasons: tuple[str, ...]

    @property
    def is_article(self) -> bool:
        return self.score >= THRESHOLD

    def __str__(self) -> str:
        return f"{self.score:+d} ({'; '.join(self.reasons) or 'no evidence'})"


def article_evidence(selector: Selector, url: str) -> Evidence:
    """How much the page in *selector*, fetched from *url*, looks like one news article."""
    signals: list[tuple[int, str]] = []
    nodes = jsonld_nodes(selector)
    types = [node_types(node) for node in nodes]
    articles = [node for node, kinds in zip(nodes, types, strict=True) if kinds & ARTICLE_TYPES]
    distinct = {str(node.get("url") or node.get("@id") or id(node)) for node in articles}
    if len(distinct) >= MANY_TEASERS:
        signals.append((-3, f"JSON-LD lists {len(distinct)} articles"))
    elif articles:
        signals.append((3, "JSON-LD " + "/".join(sorted(types[nodes.index(articles[0])] & ARTICLE_TYPES))))
    elif listing := sorted(set().union(*types) & _LISTING_TYPES):
        signals.append((-3, f"JSON-LD {listing[0]}"))
    elif any("WebPage" in kinds for kinds in types):
        signals.append((-1, "JSON-LD WebPage without an article"))
    og_type = (selector.xpath('//meta[@property="og:type"]/@content').get() or "").strip().lower()
    if og_type == "article":
        signals.append((2, "og:type article"))
    elif og_type:
        signals.append((-1, f"og:type {og_type}"))
    if dated := _publication_date_source(selector, articles):
        signals.append((1, f"publication date in {dated}"))
    kind = url_kind(url)
    if kind is UrlKind.OTHER:
        stated = selector.xpath('//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content').get()
        if stated and stated.startswith(("http://", "https://")):
            url, kind = stated, url_kind(stated)
    if kind is UrlKind.ARTICLE:
        signals.append((2, "URL with a date or an id") if _dated_or_numbered(url) else (1, "article-shaped URL"))
    elif kind is UrlKind.LISTING:
        signals.append((-2, "listing-shaped URL"))
    text = main_text_chars(selector.root)
    teasers = _teasers(selector)
    if teasers >= MANY_TEASERS and text < LONG_TEXT:
        signals.append((-2, f"{teasers} teasers"))
    if text >= LONG_TEXT:
        signals.append((1, f"main text {text} characters"))
        if dated:
            signals.append((1, "a dated long text"))
    elif text < SHORT_TEXT:
        signals.append((-1, f"main text {text} characters"))
    return Evidence(sum(points for points, _ in signals), tuple(reason for _, reason in signals))


def _publication_date_source(selector: Selector, articles: list[dict]) -> str | None:
    if selector.xpath('//meta[@property="article:published_time"]/@content').get():
        return "article:published_time"
    for meta in selector.xpath("//meta[@content != '']"):
        name = (meta.attrib.get("name") or meta.attrib.get("property") or "").lower()
        if name in _DATE_METAS or (("publi" in name or "pubdate" in name) and ("date" in name or "time" in name)):
            return f"meta {name}"
    if len(selector.xpath('//*[@itemprop="datePublished"]')) == 1:
        return "itemprop datePublished"
    if any(node.get("datePublished") for node in articles):
        return "JSON-LD datePublished"
    containers = selector.xpath("//article")
    if len(containers) == 1 and containers.xpath(".//time[@datetime]"):
        return "<time datetime> in the page's <article>"
    return None


def _teasers(selector: Selector) -> int:
    headed = " or ".join(f".//{h}//a[@href]" for h in _HEADINGS)
    return len(selector.xpath(f"//article[{headed}]"))


def main_text_chars(root: etree._Element) -> int:
    """Characters of text under the one element that holds the most: its ``<p>`` children's and its own."""
    best = 0
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in _OUTSIDE_TEXT or element.tag in _INLINE:
            continue
        if any(ancestor.tag in _OUTSIDE_TEXT for ancestor in element.iterancestors()):
            continue
        own = [element.text or ""]
        for child in element:
            if child.tag == "p" or child.tag in _INLINE:
                own.append("".join(child.itertext()))
            own.append(child.tail or "")
        best = max(best, len(" ".join(" ".join(own).split())))
    return best
