"""DataLife Engine pages: listing, article and comment pages read through a site profile.

Page classes do no I/O: each turns one response into data (an
:class:`~crawler.items.Article`, a list of comments, links), and records what
it could not read as warnings. The spider decides what to fetch next.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree
from scrapy.http import Response, TextResponse

from crawler.items import Article, Comment
from crawler.normalize import clean_text, clean_title, parse_timestamp
from crawler.pages.comments import CommentTreeReader
from crawler.pages.decoding import declared_encoding
from crawler.pages.html import Css, element_text, fragment_root, node_text, page_root
from crawler.profiles import SiteProfile
from crawler.provenance import sources_for

_DIGITS = re.compile(r"\d[\d\s\u00a0]*")


@dataclass
class ListingEntry:
    """One article teaser on a listing page."""

    url: str
    published_at: datetime | None


@dataclass
class ListingPage:
    """What a listing page links to."""

    entries: list[ListingEntry] = field(default_factory=list)
    next_page: str | None = None


@dataclass
class ArticlePage:
    """An article page read: the article with its first comment page, and how to get the rest."""

    article: Article
    news_id: str
    comment_pages: int
    skin: str


def decode_legacy(response: TextResponse, profile: SiteProfile) -> tuple[TextResponse, str | None]:
    """Re-decode a page that declares no charset and is not UTF-8 with the site's legacy encoding.

    Scrapy would guess (usually cp1252) and turn Cyrillic into mojibake.
    Returns the response to read and a warning when the fallback was used.
    """
    if declared_encoding(response):
        return response, None
    try:
        response.body.decode("utf-8")
    except UnicodeDecodeError:
        return (
            response.replace(encoding=profile.fallback_encoding),
            f"page declares no charset and is not UTF-8: decoded as {profile.fallback_encoding}",
        )
    return response.replace(encoding="utf-8"), None


class DleListingPage:
    """Reads a listing (front page, section, pagination) into article links with their dates."""

    def __init__(self, profile: SiteProfile):
        self.profile = profile
        selectors = profile.listing
        self._item, self._link = Css(selectors.item), Css(selectors.link)
        self._date, self._next_page = Css(selectors.date), Css(selectors.next_page)

    def parse(self, response: TextResponse, now: datetime) -> ListingPage:
        root = page_root(response)
        page = ListingPage()
        for teaser in self._item(root):
            href = self._link.first(teaser)
            if not href:
                continue
            date_node = self._date.first(teaser)
            page.entries.append(ListingEntry(
                url=response.urljoin(href.strip()),
                published_at=parse_timestamp(node_text(date_node) or None, tz=self.profile.tzinfo, now=now,
                                             languages=self.profile.languages),
            ))
        next_href = self._next_page.first(root)
        page.next_page = response.urljoin(next_href.strip()) if next_href else None
        return page


class DleArticlePage:
    """Reads a DLE article page: metadata, body, tags and the first page of comments."""

    def __init__(self, profile: SiteProfile):
        self.profile = profile
        self.comments = CommentTreeReader(profile)
        selectors = profile.article
        self._css = {name: Css(getattr(selectors, name)) for name in (
            "title", "author", "published", "published_meta", "body", "tags", "comment_count",
            "comments_title", "canonical", "comments_block", "comments_pager")}
        self._body_drop = [Css(css) for css in selectors.body_drop]

    def parse(self, response: TextResponse) -> ArticlePage:
        profile, css = self.profile, self._css
        response, encoding_warning = decode_legacy(response, profile)
        root = page_root(response)
        warnings = [encoding_warning] if encoding_warning else []
        sources = sources_for(response)
        fetched = datetime.fromisoformat(sources[-1].captured_at)
        news_id = profile.article_id(urlsplit(response.url).path) or ""
        article = Article(
            id=f"{profile.site}:{news_id}",
            url=response.url,
            canonical_url=self._canonical(response, root),
            site=profile.site,
            fetched_at=sources[-1].captured_at,
            sources=sources,
            warnings=warnings,
        )
        if not response.body[-64:].rstrip().lower().endswith(b"</html>"):
            warnings.append("page is truncated: the HTML ends before </html>")
        article.title = clean_title(node_text(css["title"].first(root)), site_suffixes=profile.title_suffixes)
        if article.title is None:
            warnings.append("no title")
        article.author = clean_title(node_text(css["author"].first(root)))
        article.published_at = self._published(root, fetched)
        if article.published_at is None:
            warnings.append("no readable publication date")
        article.body = self._body(root)
        if article.body is None:
            warnings.append("no article text")
        article.tags = list(dict.fromkeys(tag for node in css["tags"](root) if (tag := clean_title(node_text(node)))))
        article.comment_count_declared = self._declared_count(root)
        block = css["comments_block"].first(root)
        if block is not None:
            comments, comment_warnings = self.comments.read(block, now=fetched)
            article.comments.extend(comments)
            warnings.extend(comment_warnings)
        elif article.comment_count_declared:
            warnings.append("comments block not found on the article page")
        return ArticlePage(
            article=article,
            news_id=news_id,
            comment_pages=self._comment_pages(root),
            skin=self._skin(response),
        )

    def comments_page_url(self, article_url: str, page: ArticlePage, number: int) -> str:
        """URL of comment page *number* (1-based) of *page*'s article."""
        path = self.profile.comments_url.format(page=number, news_id=page.news_id, skin=page.skin)
        return urljoin(article_url, path)

    def _canonical(self, response: TextResponse, root: etree._Element) -> str | None:
        href = self._css["canonical"].first(root)
        return response.urljoin(href.strip()) if href else None

    def _published(self, root: etree._Element, fetched: datetime) -> str | None:
        profile = self.profile
        for text in (node_text(self._css["published"].first(root)), self._css["published_meta"].first(root)):
            when = parse_timestamp(text, tz=profile.tzinfo, now=fetched, languages=profile.languages)
            if when is not None:
                return when.isoformat()
        return None

    def _body(self, root: etree._Element) -> str | None:
        node = self._css["body"].first(root)
        if node is None:
            return None
        dropped = {found for css in self._body_drop for found in css(node)}
        return clean_text(element_text(node, skip=dropped.__contains__), boilerplate=self.profile.boilerplate)

    def _declared_count(self, root: etree._Element) -> int | None:
        for name in ("comment_count", "comments_title"):
            match = _DIGITS.search(node_text(self._css[name].first(root)))
            if match:
                return int(re.sub(r"\D", "", match.group()))
        return None

    def _comment_pages(self, root: etree._Element) -> int:
        pager = self._css["comments_pager"].first(root)
        markup = etree.tostring(pager, encoding="unicode") if pager is not None else ""
        numbers = [int(n) for n in self.profile.comments_page_number.findall(markup)]
        return max(numbers, default=1)

    def _skin(self, response: TextResponse) -> str:
        match = self.profile.skin_pattern.search(response.text)
        return match.group(1) if match else self.profile.default_skin


class DleCommentsPage:
    """Reads one JSON answer of DLE's comments endpoint: ``{"navigation": …, "comments": "<html>"}``."""

    def __init__(self, profile: SiteProfile):
        self.comments = CommentTreeReader(profile)

    def parse(self, response: Response, number: int, now: datetime) -> tuple[list[Comment], list[str]]:
        where = f"comment page {number}"
        try:
            answer = json.loads(response.body)
        except ValueError as e:
            return [], [f"{where}: the answer is not valid JSON ({e})"]
        if not isinstance(answer, dict) or not isinstance(answer.get("comments"), str):
            detail = answer.get("error") if isinstance(answer, dict) else None
            return [], [f"{where}: the answer holds no comments" + (f" ({detail})" if detail else "")]
        try:
            root = fragment_root(answer["comments"])
        except (etree.ParserError, ValueError) as e:
            return [], [f"{where}: the comments HTML cannot be parsed ({e})"]
        return self.comments.read(root, now=now)


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

