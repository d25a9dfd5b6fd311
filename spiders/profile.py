"""The spider behind every DLE site profile: listing → article → every comment page.

It only routes: page classes in :mod:`crawler.pages.dle` read the pages and
the profile says what the site looks like. One article item is yielded once
all its comment pages are in (or have failed, with a warning), so every
JSON Lines line is a whole article.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.domain.items import Article
from crawler.domain.params import ProfileCrawlParams
from crawler.domain.provenance import capture_of
from crawler.pages.dle import DleArticlePage, DleCommentsPage, DleListingPage, finish_article
from crawler.profiles import SiteProfile, load_profile
from crawler.domain.params import SpiderArgumentError
from crawler.watch.incremental import Listed, RunPlanError, load_run_plan, not_modified_article

# Finish the articles in flight before opening new ones, and open articles before more listings.
LISTING_PRIORITY, ARTICLE_PRIORITY, COMMENTS_PRIORITY = 0, 10, 20


class ProfileSpider(scrapy.Spider):
    """Crawls a DLE news site described by the profile named in ``profile_name``.

    Arguments: ``start_urls`` (comma-separated; listing or article URLs),
    ``max_articles`` (stop after this many article pages), ``since`` (ISO date:
    skip articles published before it and stop paging listings there),
    ``watch_plan`` (a watch's run plan: see :mod:`crawler.watch.incremental`).
    """

    profile_name: str = ""
    # Watches hand it a run plan; a 304 to a conditional revisit reaches parse_article.
    supports_watch_plan = True
    handle_httpstatus_list = [304]
    # The argument that takes reprocessing's starting points (a list, passed in-process).
    archive_start_argument = "start_urls"
    # Over several workers (newsarchive crawl --redis): every request carries what its callback needs (the article
    # being assembled rides in cb_kwargs), so any worker can run it. Lines are one per article id (articles_seen is
    # each worker's own); max_articles would be counted by each worker on its own.
    distributed_line_key: str | None = "id"
    distributed_refused_arguments = {"max_articles": "each worker would count the articles it requested on its own"}

    def __init__(self, *args: Any, **kwargs: Any):
        self.profile: SiteProfile = load_profile(self.profile_name)
        self.params = ProfileCrawlParams.from_arguments(
            self.profile.start_urls, self.profile.tzinfo,
            # scrapyd passes its own _job and _version to every spider.
            **{k: kwargs.pop(k) for k in list(kwargs) if k != "name" and not k.startswith("_")},
        )
        try:
            self.watch = load_run_plan(self.params.watch_plan)
        except RunPlanError as e:
            raise SpiderArgumentError("watch_plan", str(e)) from e
        super().__init__(*args, **kwargs)
        self.start_urls = list(self.params.start_urls)
        self.allowed_domains = sorted({urlsplit(url).hostname or "" for url in self.start_urls})
        self.articles_requested = 0
        self.articles_seen: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for revisit in self.watch.revisits():
            yield self.article_request(revisit.url, headers=self.watch.revisit_headers(revisit), counted=False)
        for url in self.start_urls:
            if self.is_article_url(url):
                yield self.article_request(url)
            else:
                yield scrapy.Request(url, callback=self.parse_listing, priority=LISTING_PRIORITY)

    def is_article_url(self, url: str) -> bool:
        """Whether *url* is an article page of this site."""
        return self.profile.article_id(urlsplit(url).path) is not None

    @classmethod
    def is_archive_start(cls, url: str, status: int, mime: str | None) -> bool:
        """Whether reprocessing a WARC starts from this capture: any article page, whatever its status.

        A 404 article gives its warning line as it did live; comment pages are
        requested from the article, listings are not needed.
        """
        return load_profile(cls.profile_name).article_id(urlsplit(url).path) is not None

    def article_request(self, url: str, headers: dict[str, str] | None = None, counted: bool = True) -> scrapy.Request:
        self.articles_requested += counted
        return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                              priority=ARTICLE_PRIORITY, headers=headers)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            self.logger.warning("listing %s is not a text page (%s)", response.url,
                                response.headers.get(b"Content-Type"))
            return
        listing = DleListingPage(response, self.profile, capture_of(response)).to_item()
        since = self.params.since
        reached_since = False
        listed = []
        for entry in listing.entries:
            if since is not None and entry.published_at is not None and entry.published_at < since:
                reached_since = True
                continue
            if not self.is_article_url(entry.url):
                continue
            listed.append(decision := self.watch.listed(self._article_id(entry.url)))
            if decision is not Listed.FETCH:
                self.crawler.stats.inc_value(f"watch/listed_{decision.value}")
                self.articles_requested += decision is Listed.DONE
                continue
            if self._enough_articles():
                return
            yield self.article_request(entry.url)
        if listing.next_page and not reached_since and not self._enough_articles() \
                and self.watch.keep_paging(listed):
            yield scrapy.Request(listing.next_page, callback=self.parse_listing, priority=LISTING_PRIORITY)

    def _enough_articles(self) -> bool:
        limit = self.params.max_articles
        return limit is not None and self.articles_requested >= limit

    def parse_article(self, response: Response) -> Iterator[Article | scrapy.Request]:
        if response.status == 304:
            self.crawler.stats.inc_value("watch/not_modified")
            yield not_modified_article(self._article_id(response.url), response.url, self.profile.site,
                                       list(capture_of(response).sources))
            return
        if not isinstance(response, TextResponse):
            yield self._failed_article(response.url, response, f"article page is not HTML "
                                       f"({response.headers.get(b'Content-Type', b'').decode('latin-1')})")
            return
        requested = response.meta.get("redirect_urls", [response.url])[0]
        if not self.is_article_url(response.url):
            yield self._failed_article(requested, response, f"article page redirected to a page that is not an "
                                                            f"article: {response.url}")
            return
        page = DleArticlePage(response, self.profile, capture_of(response))
        if page.news_id in self.articles_seen:
            # The same article under another URL (tracking parameters, a section prefix): one line per article.
            self.logger.info("%s is article %s again; skipped", response.url, page.news_id)
            self.crawler.stats.inc_value("newsarchive/duplicate_articles")
            return
        self.articles_seen.add(page.news_id)
        yield from self._next_comments(page.to_item(), page.comment_page_urls(), 2)

    def parse_comments(self, response: Response, article: Article, pending: list[str],
                       number: int) -> Iterator[Article | scrapy.Request]:
        capture = capture_of(response)
        batch = DleCommentsPage(response, self.profile, capture, number).to_item()
        article.comments.extend(batch.comments)
        article.warnings.extend(batch.warnings)
        article.sources.extend(capture.sources)
        yield from self._next_comments(article, pending, number + 1)

    def comments_failed(self, failure: Failure) -> Iterator[Article | scrapy.Request]:
        article: Article = failure.request.cb_kwargs["article"]
        number: int = failure.request.cb_kwargs["number"]
        article.warnings.append(f"comment page {number} could not be fetched: {_failure_reason(failure)}")
        if isinstance(failure.value, HttpError):
            article.sources.extend(capture_of(failure.value.response).sources)
        yield from self._next_comments(article, failure.request.cb_kwargs["pending"], number + 1)

    def _next_comments(self, article: Article, pending: list[str], number: int) -> Iterator[Article | scrapy.Request]:
        if not pending:
            yield finish_article(article)
            return
        url, *rest = pending
        yield scrapy.Request(
            url, callback=self.parse_comments, errback=self.comments_failed,
            cb_kwargs={"article": article, "pending": rest, "number": number}, priority=COMMENTS_PRIORITY,
            # The article's line waits for this page: it must not be dropped as a duplicate request.
            dont_filter=True,
            headers={**self.profile.comments_ajax_headers, "Referer": article.url},
        )

    def article_failed(self, failure: Failure) -> Iterator[Article]:
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # Deliberately not fetched (robots.txt, offsite, size limits): policy, logged by Scrapy, not data.
            return
        response = failure.value.response if isinstance(failure.value, HttpError) else None
        yield self._failed_article(failure.request.url, response,
                                   f"article page could not be fetched: {_failure_reason(failure)}")

    def _article_id(self, url: str) -> str:
        return f"{self.profile.site}:{self.profile.article_id(urlsplit(url).path) or ''}"

    def _failed_article(self, url: str, response: Response | None, warning: str) -> Article:
        sources = list(capture_of(response).sources) if response is not None else []
        return Article(
            id=self._article_id(url),
            url=response.url if response is not None else url,
            canonical_url=None,
            site=self.profile.site,
            fetched_at=sources[-1].captured_at if sources else None,
            warnings=[warning],
            sources=sources,
        )


def _failure_reason(failure: Failure) -> str:
    if isinstance(failure.value, HttpError):
        response = failure.value.response
        return f"HTTP {response.status}"
    return f"{type(failure.value).__name__}: {failure.getErrorMessage()}"
