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
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from lxml import etree
from scrapy.http import Response, TextResponse

from crawler.domain.items import Article, Comment
from crawler.domain.provenance import Capture
from crawler.domain.text import clean_text, clean_title
from crawler.markup.text import element_text, node_text, parse_fragment, parse_html
from crawler.pages.comments import CommentTreeReader
from crawler.pages.decoding import DecodedPage, decode_page
from crawler.profiles import SiteProfile

_DIGITS = re.compile(r"\d[\d\s\u00a0]*")


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
    """The comments of one comment page, in page order, and what could not be read on it."""

    comments: list[Comment]
    warnings: list[str]


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


class DleListingPage(_DlePage):
    """A listing (front page, section, pagination): article links with their dates, and the next page."""

    def to_item(self) -> Listing:
        selectors, timestamps = self.profile.listing, self.profile.timestamps
        now = self.capture.captured_at
        listing = Listing()
        for teaser in selectors.item(self.root):
            href = selectors.link.first(teaser)
            if not href:
                continue
            posted = timestamps.read(node_text(selectors.date.first(teaser)) or None, now=now)
            listing.entries.append(ListingEntry(self.response.urljoin(href.strip()), posted and posted.when))
        next_href = selectors.next_page.first(self.root)
        listing.next_page = self.response.urljoin(next_href.strip()) if next_href else None
        return listing


class DleArticlePage(_DlePage):
    """A DLE article page: the article with its first page of comments, and where its other comment pages are."""

    @property
    def news_id(self) -> str:
        """The site's own id of the article, from its URL (empty if the URL is not an article's)."""
        return self.profile.article_id(urlsplit(self.response.url).path) or ""

    def to_item(self) -> Article:
        profile, css, root, response = self.profile, self.profile.article, self.root, self.response
        warnings = list(self.decoded.warnings)
        article = Article(
            id=f"{profile.site}:{self.news_id}",
            url=response.url,
            canonical_url=self._canonical(),
            site=profile.site,
            fetched_at=self.capture.fetched_at,
            sources=list(self.capture.sources),
            warnings=warnings,
        )
        if not response.body[-64:].rstrip().lower().endswith(b"</html>"):
            warnings.append("page is truncated: the HTML ends before </html>")
        article.title = clean_title(node_text(css.title.first(root)), site_suffixes=profile.title_suffixes)
        if article.title is None:
            warnings.append("no title")
        article.author = clean_title(node_text(css.author.first(root)))
        article.published_at = self._published()
        if article.published_at is None:
            warnings.append("no readable publication date")
        article.body = self._body()
        if article.body is None:
            warnings.append("no article text")
        article.tags = list(dict.fromkeys(tag for node in css.tags(root) if (tag := clean_title(node_text(node)))))
        article.comment_count_declared = self._declared_count()
        block = css.comments_block.first(root)
        if block is not None:
            comments, comment_warnings = CommentTreeReader(profile).read(block, now=self.capture.captured_at)
            article.comments.extend(comments)
            warnings.extend(comment_warnings)
        elif article.comment_count_declared:
            warnings.append("comments block not found on the article page")
        return article

    def comment_page_urls(self) -> list[str]:
        """The URLs of the article's comment pages after the first (which is on the article page), in order."""
        pager = self.profile.article.comments_pager.first(self.root)
        markup = etree.tostring(pager, encoding="unicode") if pager is not None else ""
        pages = max((int(n) for n in self.profile.comments_page_number.findall(markup)), default=1)
        return [self._comments_url(number) for number in range(2, pages + 1)]

    def _comments_url(self, number: int) -> str:
        match = self.profile.skin_pattern.search(self.decoded.text)
        skin = match.group(1) if match else self.profile.default_skin
        path = self.profile.comments_url.format(page=number, news_id=self.news_id, skin=skin)
        return urljoin(self.response.url, path)

    def _canonical(self) -> str | None:
        href = self.profile.article.canonical.first(self.root)
        return self.response.urljoin(href.strip()) if href else None

    def _published(self) -> str | None:
        css, now = self.profile.article, self.capture.captured_at
        for text in (node_text(css.published.first(self.root)), css.published_meta.first(self.root)):
            when = self.profile.timestamps.read(text, now=now)
            if when is not None:
                return when.iso
        return None

    def _body(self) -> str | None:
        node = self.profile.article.body.first(self.root)
        if node is None:
            return None
        dropped = {found for css in self.profile.article.body_drop for found in css(node)}
        return clean_text(element_text(node, skip=dropped.__contains__), boilerplate=self.profile.boilerplate)

    def _declared_count(self) -> int | None:
        for css in (self.profile.article.comment_count, self.profile.article.comments_title):
            match = _DIGITS.search(node_text(css.first(self.root)))
            if match:
                return int(re.sub(r"\D", "", match.group()))
        return None


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
        comments, warnings = CommentTreeReader(self.profile).read(root, now=self.capture.captured_at)
        return CommentBatch(comments, warnings)


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
