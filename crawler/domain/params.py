"""Spider arguments (``-a name=value``), validated when the spider is built.

A bad argument fails the crawl before any request, with a message that names
the argument, instead of surfacing later as a confusing crawl result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo


class SpiderArgumentError(ValueError):
    """A spider argument is missing or invalid."""

    def __init__(self, argument: str, problem: str):
        super().__init__(f"spider argument {argument}: {problem}")
        self.argument = argument


def is_http_url(url: str) -> bool:
    """Whether *url* is an absolute http(s) URL that a request can be made for."""
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url)


def parse_urls(argument: str, value: str | list[str]) -> list[str]:
    """Comma-separated (or listed) absolute http(s) URLs."""
    items = value if isinstance(value, list) else value.split(",")
    urls = [item.strip() for item in items if item.strip()]
    if not urls:
        raise SpiderArgumentError(argument, "no URL given")
    for url in urls:
        if not is_http_url(url):
            raise SpiderArgumentError(argument, f"{url!r} is not an absolute http(s) URL")
    return urls


def parse_positive_int(argument: str, value: str | int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as e:
        raise SpiderArgumentError(argument, f"{value!r} is not a whole number") from e
    if number < 1:
        raise SpiderArgumentError(argument, f"must be at least 1, got {number}")
    return number


def parse_since(argument: str, value: str, tz: ZoneInfo) -> datetime:
    """A date (``2020-09-13``) or a datetime with offset; a bare date means midnight in the site's timezone."""
    try:
        if len(value.strip()) == 10:
            return datetime.combine(date.fromisoformat(value.strip()), time(), tzinfo=tz)
        when = datetime.fromisoformat(value.strip())
    except ValueError as e:
        raise SpiderArgumentError(argument, f"{value!r} is not an ISO date like 2020-09-13") from e
    return when if when.tzinfo else when.replace(tzinfo=tz)


@dataclass(frozen=True)
class ProfileCrawlParams:
    """Arguments of a site-profile spider."""

    start_urls: tuple[str, ...]
    max_articles: int | None
    since: datetime | None
    watch_plan: str | None = None  # a watch's run plan file (crawler.watch.incremental)

    @classmethod
    def from_arguments(cls, default_start_urls: tuple[str, ...], tz: ZoneInfo, *,
                       start_urls: str | list[str] | None = None, max_articles: str | int | None = None,
                       since: str | None = None, watch_plan: str | None = None,
                       **unknown: object) -> ProfileCrawlParams:
        if unknown:
            names = ", ".join(sorted(unknown))
            raise SpiderArgumentError(names, "unknown argument (known: start_urls, max_articles, since, watch_plan)")
        return cls(
            start_urls=tuple(parse_urls("start_urls", start_urls)) if start_urls else default_start_urls,
            max_articles=parse_positive_int("max_articles", max_articles) if max_articles is not None else None,
            since=parse_since("since", since, tz) if since else None,
            watch_plan=watch_plan or None,
        )
