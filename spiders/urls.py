"""Archive exactly the URLs an archivist lists, and extract what a page says generically.

``scrapy crawl urls -a urls=U1,U2`` or ``-a urls_file=list.txt`` (see
:mod:`crawler.domain.url_list`). Each URL is fetched once, redirects followed, no
links followed. Redirects are followed to whatever host they lead to: that is
what the listed URL resolves to, so it is its capture (the line's ``sources``
show the chain). For the same reason the spider sets no ``allowed_domains``:
with nothing but listed URLs and their redirects there is nothing to keep in
scope, and Scrapy's offsite filter would also block the robots.txt of a
redirect's target host, which must be obeyed. Every URL gives one JSON Lines line: the article read by
:class:`~crawler.pages.generic.GenericArticlePage` for an HTML page, and for
anything else (an image, a PDF, an HTTP error, a network failure, a URL
robots.txt forbids) a line that says what happened, so every requested URL is
accounted for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.domain.done import SETTING as DONE_SETTING
from crawler.domain.done import done_articles
from crawler.domain.items import Article
from crawler.domain.params import parse_urls
from crawler.domain.provenance import capture_of, sources_of_failure
from crawler.domain.url_list import requested_urls
from crawler.pages.generic import GenericArticlePage, bare_article

# Media types of the pages reprocessing starts from (the spider reads any response it is given).
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class UrlsSpider(scrapy.Spider):
    """Fetches the listed URLs (``urls``, ``urls_file``) and yields one article line per URL."""

    name = "urls"
    # The argument that takes reprocessing's starting points (a list, passed in-process).
    archive_start_argument = "urls"
    # Over several workers (newsarchive crawl --redis): each request stands alone; every listed URL keeps its own
    # line, also two that redirect to one page, so lines are not merged by id.
    distributed_line_key: str | None = None
    # Any pages, news or not: one without a date says nothing about our reading; most without a title and
    # text say that the reading failed (the crawl exits 1).
    markup_drift_fields = ("title", "body")

    def __init__(self, *args: Any, urls: str | list[str] | None = None, urls_file: str | None = None,
                 **kwargs: Any):
        scrapy_kwargs = {key: kwargs.pop(key) for key in ("name",) if key in kwargs}
        if isinstance(urls, list):
            # Passed in-process (reprocessing): the URLs themselves, so a comma inside one is no separator.
            self.requested = list(dict.fromkeys(parse_urls("urls", urls)))
        else:
            self.requested = requested_urls(urls, urls_file, **kwargs)
        super().__init__(*args, **scrapy_kwargs)

    @classmethod
    def is_archive_start(cls, url: str, status: int, mime: str | None) -> bool:
        """Whether reprocessing a WARC starts from this capture: a whole HTML page, or a redirect.

        A redirect is followed to its target, so the line's ``sources`` show the
        chain as a live crawl of the redirecting URL would.
        """
        return 300 <= status < 400 or (status == 200 and mime in HTML_TYPES)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        done = done_articles(self.settings.get(DONE_SETTING))  # a resumed crawl: URLs that have their line
        for url in self.requested:
            if done.has(url=url):
                self.crawler.stats.inc_value("resume/articles_skipped")
                continue
            # dont_filter: two listed URLs that redirect to one page each get their line.
            yield scrapy.Request(url, callback=self.parse, errback=self.fetch_failed, dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Article]:
        yield GenericArticlePage(response, None, capture_of(response)).to_item()

    def fetch_failed(self, failure: Failure) -> Iterator[Article]:
        if isinstance(failure.value, HttpError):
            response = failure.value.response
            article = bare_article(response.url, list(capture_of(response).sources))
            article.warnings.append(f"not fetched: HTTP {response.status}")
        else:
            request = failure.request
            article = bare_article(request.url, sources_of_failure(request))
            # Part of the page came and is archived (cut short, or a body that does not decode): not read.
            came = bool(article.sources) and article.sources[-1].url == request.url \
                and not 300 <= article.sources[-1].status < 400
            article.warnings.append(f"{'not read' if came else 'not fetched'}: {type(failure.value).__name__}: "
                                    f"{failure.getErrorMessage()}")
        yield article

