"""DataLife Engine pages, read through a site profile: listing, article and comment pages.

Each page class takes all its inputs — the response, the site profile and
the capture (:class:`~crawler.domain.provenance.Capture`: when, and from
which archived responses) — and gives its item from :meth:`to_item`, with no
I/O, no clock and no request state; what it could not read becomes warnings.
What only the spider needs to go on (the article's further comment pages) is
a separate method, not part of the item.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector
from scrapy.http import Response, TextResponse

from crawler.domain.items import Article, Comment, missing_warning
from crawler.domain.provenance import Capture
from crawler.domain.transfer import transfer_warnings
from crawler.domain.text import clean_text, clean_title
from crawler.domain.timestamps import Timestamp
from crawler.markup.fields import FieldChain, Found
from crawler.markup.text import element_text, node_text, parse_fragment, parse_html
from crawler.pages.comments import CommentsRead, CommentTreeReader
from crawler.pages.decoding import DecodedPage, decode_page
from crawler.pages.jsonld import article_node, jsonld_nodes
from crawler.profiles import SiteProfile

T = TypeVar("T")


@dataclass
class ListingEntry:
    """One article teaser on a listing page."""

    url: str
    published_at: datetime | None


@dataclass
class Listing:
    """What a listing page links to."""

    entries: list[ListingEntry] = field(default_factory=list)
    next_page: str | None = None


@dataclass
class CommentBatch:
    """The comments of one comment page, in page order, what could not be read on it, and the comment
    fields no comment on it had (a sign that the theme changed)."""

    comments: list[Comment]
    warnings: list[str]
    missing: list[str] = field(default_factory=list)
    # Per comment field, how many comments had it from each selector (what ``newsarchive profile check`` shows).
    sources: dict[str, Counter[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldReport:
    """How one field of a page was read: its value, the source that gave it, and every source tried."""

    field: str
    value: object
    source: str | None
    tried: str


class _DlePage:
    """What every DLE page class is given: the response, the site profile and the capture."""

    def __init__(self, response: TextResponse, profile: SiteProfile, capture: Capture):
        self.response = response
        self.profile = profile
        self.capture = capture

    @cached_property
    def decoded(self) -> DecodedPage:
        return decode_page(self.response, self.profile.fallback_encoding)

    @cached_property
    def root(self) -> etree._Element:
        return parse_html(self.decoded.text)

    @cached_property
    def _article_node(self) -> dict[str, Any] | None:
        return article_node(jsonld_nodes(Selector(root=self.root)))

    def _find(self, chain: FieldChain, read: Callable[[Found], T | None],
              root: etree._Element | None = None) -> tuple[T | None, str | None]:
        found = chain.find(self.root if root is None else root, read, lambda: self._article_node)
        return found if found is not None else (None, None)

    def _timestamp(self, chain: FieldChain,
                   root: etree._Element | None = None) -> tuple[tuple[Timestamp, str] | None, str | None]:
        """The first full timestamp the chain's sources give, with the text it was read from; else the first
        date (stock DLE puts only the date into ``<time datetime>`` and the time of day into its text)."""
        timestamps, now = self.profile.timestamps, self.capture.captured_at

        def read(found: Found, need_time: bool) -> tuple[Timestamp, str] | None:
            when = timestamps.read(found.text, now=now)
            return (when, found.text) if when is not None and (when.has_time or not need_time) else None

        found, source = self._find(chain, lambda found: read(found, True), root)
        if found is None:
            found, source = self._find(chain, lambda found: read(found, False), root)
        return found, source


class DleListingPage(_DlePage):
    """A listing (front page, section, pagination): article links with their dates, and the next page.

    Teasers are read by the profile's selectors. A page where none of them
    matches still gives its links to article URLs (the engine's own URL
    shape), undated; and when no next-page selector matches, the next page is
    the link to the following ``/page/N/`` of the same listing, DLE's own
    paging URLs.
    """

    def to_item(self) -> Listing:
        selectors = self.profile.listing
        listing = Listing()
        teasers, _source = selectors.item.all(self.root)
        for teaser in teasers:
            href, _ = selectors.link.find(teaser, _text) or (None, None)
            if href:
                posted, _ = self._timestamp(selectors.date, teaser)
                listing.entries.append(ListingEntry(self.response.urljoin(href), posted and posted[0].when))
        if not teasers:
            listing.entries = [ListingEntry(url, None) for url in self._article_links()]
        next_href, _ = self._find(selectors.next_page, _text)
        listing.next_page = self.response.urljoin(next_href) if next_href else self._next_by_number()
        return listing

    def _links(self) -> Iterator[str]:
        for anchor in self.root.iter("a"):
            if href := (anchor.get("href") or "").strip():
                yield self.response.urljoin(href)

    def _article_links(self) -> list[str]:
        return list(dict.fromkeys(url for url in self._links() if self.profile.article_id(urlsplit(url).path)))

    def _next_by_number(self) -> str | None:
        here = _PAGED.match(urlsplit(self.response.url).path)
        if here is None:
            return None
        wanted = f"{here['listing']}page/{int(here['number'] or 1) + 1}/"
        return next((url for url in self._links() if urlsplit(url).path == wanted), None)


class DleArticlePage(_DlePage):
    """A DLE article page: the article with its first page of comments, and where its other comment pages are."""

    @property
    def news_id(self) -> str:
        """The site's own id of the article, from its URL (empty if the URL is not an article's)."""
        return self.profile.article_id(urlsplit(self.response.url).path) or ""

    def to_item(self) -> Article:
        profile, response = self.profile, self.response
        fields = {report.field: report for report in self.report()}
        article = Article(
            id=f"{profile.site}:{self.news_id}",
            url=response.url,
            canonical_url=fields["canonical_url"].value,  # type: ignore[arg-type]
            site=profile.site,
            fetched_at=self.capture.fetched_at,
            sources=list(self.capture.sources),
            warnings=[*transfer_warnings(response.flags), *self.decoded.warnings],
        )
        if not response.body[-64:].rstrip().lower().endswith(b"</html>"):
            article.warnings.append("page is truncated: the HTML ends before </html>")
        for name in ("title", "author", "published_at", "body"):
            report = fields[name]
            setattr(article, name, report.value)
            if report.value is None:
                article.missing.append(name)
                article.warnings.append(missing_warning(name, report.tried))
        article.published_at_raw = fields["published_at_raw"].value  # type: ignore[assignment]
        article.tags = fields["tags"].value  # type: ignore[assignment]
        article.comment_count_declared = fields["comment_count_declared"].value  # type: ignore[assignment]
        read = self.comments_read()
        if read is not None:
            article.comments.extend(read.comments)
            article.warnings.extend(read.warnings)
            article.warnings.extend(missing_warning(name, tried) for name, tried in read.missing.items())
            article.missing.extend(read.missing)
        elif article.comment_count_declared:
            article.warnings.append("comments block not found on the article page")
        return article

    def comments_read(self) -> CommentsRead | None:
        """The comments on the article page itself (None: the page has no comments block)."""
        block, _ = self._find(self.profile.article.comments_block, lambda found: found.element)
        return CommentTreeReader(self.profile).read(block, now=self.capture.captured_at) if block is not None else None

    def report(self) -> list[FieldReport]:
        """How each field of the article was read (``newsarchive profile check`` prints this)."""
        css = self.profile.article
        readers: list[tuple[str, FieldChain, Callable[[Found], Any]]] = [
            ("title", css.title, lambda found: clean_title(found.text, site_suffixes=self.profile.title_suffixes)),
            ("author", css.author, lambda found: clean_title(found.text)),
            ("body", css.body, self._body),
            ("comment_count_declared", css.comment_count, _count),
            ("canonical_url", css.canonical, lambda found: self.response.urljoin(found.text) if found.text else None),
        ]
        reports = [FieldReport(name, *self._find(chain, read), chain.tried) for name, chain, read in readers]
        published, source = self._timestamp(css.published)
        reports.insert(2, FieldReport("published_at", published and published[0].iso, source, css.published.tried))
        reports.insert(3, FieldReport("published_at_raw", published and published[1], source, css.published.tried))
        tags, source = css.tags.all(self.root, lambda: self._article_node)
        # A tag element holds one tag; a string (meta news_keywords, JSON-LD keywords) may list several.
        texts = [clean_title(text) for tag in tags
                 for text in (tag.split(",") if isinstance(tag, str) else [node_text(tag)])]
        reports.append(FieldReport("tags", list(dict.fromkeys(tag for tag in texts if tag)), source, css.tags.tried))
        return reports

    def comment_page_urls(self) -> list[str]:
        """The URLs of the article's comment pages after the first (which is on the article page), in order."""
        pager, _ = self._find(self.profile.article.comments_pager, lambda found: found.element)
        markup = etree.tostring(pager, encoding="unicode") if pager is not None else ""
        pages = max((int(n) for n in self.profile.comments_page_number.findall(markup)), default=1)
        return [self._comments_url(number) for number in range(2, pages + 1)]

    def _comments_url(self, number: int) -> str:
        match = self.profile.skin_pattern.search(self.decoded.text)
        skin = match.group(1) if match else self.profile.default_skin
        path = self.profile.comments_url.format(page=number, news_id=self.news_id, skin=skin)
        return urljoin(self.response.url, path)

    def _body(self, found: Found) -> str | None:
        if found.element is None:
            return clean_text(found.text, boilerplate=self.profile.boilerplate)
        dropped = {node for css in self.profile.article.body_drop for node in css(found.element)}
        return clean_text(element_text(found.element, skip=dropped.__contains__), boilerplate=self.profile.boilerplate)


class DleCommentsPage:
    """One JSON answer of DLE's comments endpoint, ``{"navigation": …, "comments": "<html>"}``: page *number*."""

    def __init__(self, response: Response, profile: SiteProfile, capture: Capture, number: int):
        self.response = response
        self.profile = profile
        self.capture = capture
        self.number = number

    def to_item(self) -> CommentBatch:
        where = f"comment page {self.number}"
        try:
            answer = json.loads(self.response.body)
        except ValueError as e:
            return CommentBatch([], [f"{where}: the answer is not valid JSON ({e})"])
        if not isinstance(answer, dict) or not isinstance(answer.get("comments"), str):
            detail = answer.get("error") if isinstance(answer, dict) else None
            return CommentBatch([], [f"{where}: the answer holds no comments" + (f" ({detail})" if detail else "")])
        try:
            root = parse_fragment(answer["comments"])
        except (etree.ParserError, ValueError) as e:
            return CommentBatch([], [f"{where}: the comments HTML cannot be parsed ({e})"])
        read = CommentTreeReader(self.profile).read(root, now=self.capture.captured_at)
        missing = [f"{where}: {missing_warning(name, tried)}" for name, tried in read.missing.items()]
        return CommentBatch(read.comments, read.warnings + missing, list(read.missing), read.sources)


_DIGITS = re.compile(r"\d[\d\s\u00a0]*")
# A listing's path: the listing itself, then maybe page/N/ (DLE's paging URLs).
_PAGED = re.compile(r"^(?P<listing>.*?/)(?:page/(?P<number>\d+)/)?$")


def _text(found: Found) -> str | None:
    return found.text.strip() or None


def _count(found: Found) -> int | None:
    match = _DIGITS.search(found.text)
    return int(re.sub(r"\D", "", match.group())) if match else None


def finish_article(article: Article) -> Article:
    """Last checks once every comment page is in: duplicates and the declared count."""
    seen: set[str] = set()
    unique: list[Comment] = []
    for comment in article.comments:
        if comment.id in seen:
            article.warnings.append(f"comment {comment.id} appears on more than one comment page")
            continue
        seen.add(comment.id)
        unique.append(comment)
    article.comments = unique
    declared = article.comment_count_declared
    if declared is not None and declared != len(unique):
        article.warnings.append(f"the page declares {declared} comments but {len(unique)} were read")
    return article
