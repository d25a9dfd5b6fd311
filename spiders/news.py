"""Any news site, no profile: discover its articles, then read each with all its comments.

``newsarchive crawl news -a start_urls=https://site/ [-a max_articles=N] [-a since=2026-03-01]``
(arguments: :mod:`crawler.domain.news_params`). From each start URL the spider
reads robots.txt for ``Sitemap:`` lines (``/sitemap.xml`` when there are
none), follows sitemap indexes to their URL sets and Google News sitemaps,
reads the RSS/Atom feeds the start and section pages announce, and explores
the start page's sections and their pagination. It stays on the start URLs'
hosts and does not follow links out of articles. Every candidate page is
judged by evidence (:mod:`crawler.pages.evidence`: JSON-LD, OpenGraph, dates,
URL shape, text density), not by a list of sites; each article is read by
:class:`~crawler.pages.generic.GenericArticlePage`, its other comment pages
are fetched and merged (:mod:`crawler.pages.discovery.assembly`), and it gives one
line. An article page that cannot be fetched gives a line with a warning when
a news sitemap, a feed or its URL's shape said it was an article.

The spider only routes; what to fetch next and the limits are
:class:`~crawler.domain.frontier.Frontier`'s, the readers are in
:mod:`crawler.pages.discovery`. It subclasses Scrapy's ``SitemapSpider`` for its
sitemap body handling (gzip, size limits), not for its rules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.spiders import SitemapSpider
from scrapy.utils.response import get_base_url
from twisted.python.failure import Failure

from crawler.domain.frontier import Frontier, Target
from crawler.domain.items import Article
from crawler.domain.news_params import NewsCrawlParams
from crawler.domain.provenance import capture_of, redirects_before
from crawler.pages.discovery.assembly import ArticleAssembly
from crawler.pages.discovery.comment_pages import comment_page_links
from crawler.pages.discovery.feeds import read_feed
from crawler.pages.discovery.listings import read_listing, same_site
from crawler.pages.discovery.sitemaps import lists_no_articles, read_sitemap, sitemaps_in_robots
from crawler.pages.evidence import UrlKind, article_evidence, url_kind, without_comment_page
from crawler.pages.generic import GenericArticlePage, bare_article, is_html

# Finish articles in flight (their comment pages) first, then new articles, then discovery, then listings.
LISTING_PRIORITY, DISCOVERY_PRIORITY, ARTICLE_PRIORITY, COMMENTS_PRIORITY = 0, 10, 20, 30
MAX_SECTION_DEPTH = 2  # home page 0, its sections 1, theirs 2; pagination keeps a listing's depth
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class NewsSpider(SitemapSpider):
    """Discovers a news site's articles (sitemaps, feeds, sections) and yields one line per article."""

    name = "news"
    # The argument that takes reprocessing's starting points (a list, passed in-process).
    archive_start_argument = "article_urls"

    def __init__(self, *args: Any, **kwargs: Any):
        scrapy_kwargs = {key: kwargs.pop(key) for key in ("name",) if key in kwargs}
        self.params = NewsCrawlParams.from_arguments(**kwargs)
        super().__init__(*args, **scrapy_kwargs)
        self.hosts = self.params.hosts
        self.allowed_domains = sorted(self.hosts)
        self.frontier = Frontier(self.params.max_articles, self.params.since)
        self.fetched_documents: set[str] = set()  # robots.txt, sitemaps and feeds asked for
        self.article_ids: set[str] = set()

    @classmethod
    def is_archive_start(cls, url: str, status: int, mime: str | None) -> bool:
        """Whether reprocessing starts from this capture: an HTML page or a redirect that may be an article,
        or a failed capture of an article-shaped URL (it gives its warning line, as live).

        Pages are judged by evidence once replayed, so a listing that slips through costs a parse, not a line.
        """
        kind = url_kind(url)
        if kind in (UrlKind.SKIP, UrlKind.LISTING, UrlKind.COMMENT_PAGE):
            return False
        if 300 <= status < 400 or (status == 200 and mime in HTML_TYPES):
            return True
        return status >= 400 and kind is UrlKind.ARTICLE

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.params.article_urls:
            self.frontier.offer_article(url, "given", announced=True)
        for url in self.params.start_urls:
            action, target = self.frontier.offer_section(url, 0)
            target.via.add("start")
            if action == "request":
                yield self._page_request(target, LISTING_PRIORITY)
            if request := self._document_request(urljoin(url, "/robots.txt"), self.parse_robots):
                yield request
        for request in self._released():
            yield request

    # Discovery: robots.txt, sitemaps, feeds.

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        sitemaps = sitemaps_in_robots(response.body, response.url)
        if not sitemaps:
            self.logger.info("%s names no sitemap; trying /sitemap.xml", response.url)
        for url in sitemaps or [urljoin(response.url, "/sitemap.xml")]:
            if request := self._document_request(url, self.parse_sitemap):
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request | Article]:
        if self.frontier.full:
            return
        body = self._get_sitemap_body(response)
        document = read_sitemap(body, response.url) if body else None
        if document is None or document.kind not in ("sitemapindex", "urlset"):
            self.logger.warning("%s is not a sitemap (%s); ignored", response.url,
                                document.kind if document else response.headers.get(b"Content-Type"))
            self.crawler.stats.inc_value("news/invalid_sitemaps")
            return
        self.crawler.stats.inc_value("news/sitemap_indexes" if document.kind == "sitemapindex" else "news/sitemaps")
        if document.truncated:
            self.logger.warning("%s ends before its closing tag; read up to the last whole entry", response.url)
        if document.kind == "sitemapindex":
            for entry in document.entries:
                if not self.frontier.is_old(entry.lastmod) and (
                        request := self._document_request(entry.url, self.parse_sitemap)):
                    yield request
        else:
            via = "news sitemap" if document.is_news else "sitemap"
            for entry in document.entries:
                self._offer(entry.url, via, entry.date_hint, announced=entry.published is not None)
        yield from self._released()

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request | Article]:
        if not isinstance(response, TextResponse):
            self.logger.warning("%s is not a text document; not read as a feed", response.url)
            return
        feed = read_feed(response)
        if feed.format is None:
            self.logger.warning("%s is neither RSS nor Atom; ignored", response.url)
            self.crawler.stats.inc_value("news/invalid_feeds")
            return
        if feed.problem:
            self.logger.warning("%s: %s", response.url, feed.problem)
        self.crawler.stats.inc_value("news/feeds")
        for entry in feed.entries:
            self._offer(entry.url, "feed", entry.published, announced=True)
        yield from self._released()

    def discovery_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        url = failure.request.url
        if url.endswith("/robots.txt") and isinstance(failure.value, HttpError):
            yield from self.parse_robots(failure.value.response)  # no robots.txt: no Sitemap lines either
        elif not failure.check(IgnoreRequest) or failure.check(HttpError):
            self.logger.warning("%s could not be fetched: %s", url, _reason(failure))

    def _document_request(self, url: str, callback: Any) -> scrapy.Request | None:
        if url in self.fetched_documents or not same_site(url, self.hosts):
            return None
        if callback == self.parse_sitemap and lists_no_articles(url):
            self.crawler.stats.inc_value("news/sitemaps_skipped")
            return None
        self.fetched_documents.add(url)
        return scrapy.Request(url, callback=callback, errback=self.discovery_failed, priority=DISCOVERY_PRIORITY)

    def _offer(self, url: str, via: str, hint: datetime | None = None, announced: bool = False) -> None:
        kind = url_kind(url)
        if kind is UrlKind.COMMENT_PAGE:
            url = without_comment_page(url)
        elif kind in (UrlKind.SKIP, UrlKind.LISTING):
            return
        if same_site(url, self.hosts) and self.frontier.offer_article(url, via, hint, announced):
            self.crawler.stats.inc_value(f"news/candidates/{via.replace(' ', '_')}")

    # Pages: sections, candidates, articles.

    def _page_request(self, target: Target, priority: int) -> scrapy.Request:
        # dont_filter: the frontier already fetches each URL once; a request the dupefilter dropped would
        # never settle its place under max_articles.
        return scrapy.Request(target.url, callback=self.parse_page, errback=self.page_failed,
                              cb_kwargs={"target": target}, priority=priority, dont_filter=True)

    def _released(self) -> Iterator[scrapy.Request]:
        for target in self.frontier.release():
            yield self._page_request(target, ARTICLE_PRIORITY)

    def parse_page(self, response: Response, target: Target) -> Iterator[scrapy.Request | Article]:
        if not is_html(response):
            self.frontier.settle(target, line=target.announced)
            if target.announced:
                yield read_page(response)  # a line saying what the URL gave instead
            yield from self._released()
            return
        assert isinstance(response, TextResponse)
        evidence = article_evidence(response.selector, response.url)
        if evidence.is_article and (target.article or target.section_depth is not None):
            yield from self._article(response, target)
        else:
            self.logger.debug("not an article: %s %s", response.url, evidence)
            self.crawler.stats.inc_value("news/pages_not_articles")
            self.frontier.settle(target, line=False)
            target.listing = read_listing(response.selector, response.url, get_base_url(response), self.hosts)
            if target.section_depth is not None:
                yield from self._explore(target)
        yield from self._released()

    def _explore(self, target: Target) -> Iterator[scrapy.Request]:
        target.explored = True
        listing, depth = target.listing, target.section_depth or 0
        if self.frontier.full:
            return
        self.crawler.stats.inc_value("news/listings")
        for url in listing.feeds:
            if request := self._document_request(url, self.parse_feed):
                yield request
        for url in listing.articles:
            self._offer(url, "listing", listing.dates.get(url))
        more = [(url, depth + 1) for url in listing.sections if depth < MAX_SECTION_DEPTH]
        if not self.frontier.is_old(listing.newest):  # teasers all older than `since`: no need to page on
            more += [(url, depth) for url in listing.next_pages]
        for url, at_depth in more:
            action, section = self.frontier.offer_section(url, at_depth)
            if action == "request":
                yield self._page_request(section, LISTING_PRIORITY)
            elif action == "explore":
                yield from self._explore(section)

    def _article(self, response: TextResponse, target: Target) -> Iterator[scrapy.Request | Article]:
        if not self.frontier.claim(target):
            self.frontier.settle(target, line=False)
            return
        article = read_page(response)
        published = datetime.fromisoformat(article.published_at) if article.published_at else None
        skip = None
        if article.id in self.article_ids:
            skip = "duplicate_articles"  # the same article under another URL (a redirect, a query)
        elif self.frontier.is_old(published):
            skip = "articles_before_since"
        if skip:
            self.crawler.stats.inc_value(f"news/{skip}")
            self.frontier.settle(target, line=False)
            return
        self.article_ids.add(article.id)
        links = comment_page_links(response.selector, get_base_url(response), response.url)
        yield from self._comment_pages(ArticleAssembly(article, links), target)

    def _comment_pages(self, assembly: ArticleAssembly, target: Target) -> Iterator[scrapy.Request | Article]:
        for number, url in assembly.to_request():
            yield scrapy.Request(url, callback=self.parse_comment_page, errback=self.comment_page_failed,
                                 cb_kwargs={"assembly": assembly, "number": number, "target": target},
                                 priority=COMMENTS_PRIORITY, dont_filter=True)
        if assembly.done:
            self.frontier.settle(target, line=True)
            yield assembly.finish()

    def parse_comment_page(self, response: Response, assembly: ArticleAssembly, number: int,
                           target: Target) -> Iterator[scrapy.Request | Article]:
        page = read_page(response)
        links = {}
        if isinstance(response, TextResponse) and is_html(response):
            links = comment_page_links(response.selector, get_base_url(response), assembly.article.url)
        assembly.add_page(number, page, links)
        yield from self._comment_pages(assembly, target)
        yield from self._released()

    def comment_page_failed(self, failure: Failure) -> Iterator[scrapy.Request | Article]:
        kwargs = failure.request.cb_kwargs
        sources = list(capture_of(failure.value.response).sources) if isinstance(failure.value, HttpError) else []
        kwargs["assembly"].fail_page(kwargs["number"], _reason(failure), sources)
        yield from self._comment_pages(kwargs["assembly"], kwargs["target"])
        yield from self._released()

    def page_failed(self, failure: Failure) -> Iterator[scrapy.Request | Article]:
        target: Target = failure.request.cb_kwargs["target"]
        deliberate = failure.check(IgnoreRequest) and not failure.check(HttpError)  # robots.txt, offsite: policy
        says_article = target.announced or url_kind(target.url) is UrlKind.ARTICLE
        line = target.article and says_article and not deliberate and self.frontier.claim(target)
        self.frontier.settle(target, line=bool(line))
        if line:
            response = failure.value.response if isinstance(failure.value, HttpError) else None
            if response is not None:
                article = bare_article(response.url, list(capture_of(response).sources))
            else:
                article = bare_article(target.url, redirects_before(failure.request))
            article.warnings.append(f"article page could not be fetched: {_reason(failure)}")
            yield article
        elif not deliberate:
            self.logger.warning("%s could not be fetched: %s", target.url, _reason(failure))
        yield from self._released()


def read_page(response: Response) -> Article:
    """What the generic page object reads from a page: the one place this spider calls it."""
    return GenericArticlePage(response, None, capture_of(response)).to_item()


def _reason(failure: Failure) -> str:
    if isinstance(failure.value, HttpError):
        return f"HTTP {failure.value.response.status}"
    return f"{type(failure.value).__name__}: {failure.getErrorMessage()}"
