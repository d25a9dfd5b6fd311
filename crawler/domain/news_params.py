"""The ``news`` spider's arguments, validated when the spider is built (see :mod:`crawler.domain.params`).

``start_urls``: comma-separated home or section pages (or articles) of the
sites to crawl; the crawl stays on their hosts. ``article_urls``: pages to
read as articles with no discovery (reprocessing passes its starting points
here, as a list). At least one of the two. ``max_articles``: at most this many
article lines. ``since``: leave out articles published before this date or
datetime (an article with no date is kept); a bare date is midnight UTC, since
the sites' timezones are not known in advance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from crawler.domain.params import SpiderArgumentError, parse_positive_int, parse_since, parse_urls

KNOWN = "start_urls, article_urls, max_articles, since"


@dataclass(frozen=True)
class NewsCrawlParams:
    start_urls: tuple[str, ...]
    article_urls: tuple[str, ...]
    max_articles: int | None
    since: datetime | None

    @property
    def hosts(self) -> frozenset[str]:
        """The hosts the crawl stays on: those of its start and article URLs."""
        return frozenset((urlsplit(url).hostname or "").lower() for url in (*self.start_urls, *self.article_urls))

    @classmethod
    def from_arguments(cls, *, start_urls: str | list[str] | None = None, article_urls: str | list[str] | None = None,
                       max_articles: str | int | None = None, since: str | None = None,
                       **unknown: object) -> NewsCrawlParams:
        if unknown:
            raise SpiderArgumentError(", ".join(sorted(unknown)), f"unknown argument (known: {KNOWN})")
        if not start_urls and not article_urls:
            raise SpiderArgumentError("start_urls", "no URL given: pass start_urls=https://site/ (comma-separated)")
        return cls(
            start_urls=tuple(dict.fromkeys(parse_urls("start_urls", start_urls))) if start_urls else (),
            article_urls=tuple(dict.fromkeys(parse_urls("article_urls", article_urls))) if article_urls else (),
            max_articles=parse_positive_int("max_articles", max_articles) if max_articles is not None else None,
            since=parse_since("since", since, ZoneInfo("UTC")) if since else None,
        )


