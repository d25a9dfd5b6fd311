"""Which spider reprocesses an archive, and which captures it starts from.

The spider says which captures are starting points (its ``is_archive_start``
classmethod: article pages for a site profile's spider, HTML pages and
redirects for ``urls``). One rule is common to all: a capture that is the
``Location`` target of an accepted redirect capture of the same crawl is not
a start of its own, so the redirect is followed to it and the hop stays in the
line's ``sources``, as it was live.

The spider is the one asked for; else the one the WARCs' warcinfo records
name (our crawls record it); else the spider whose site profile claims the
host with the most captures; else ``urls``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urljoin

from scrapy.spiderloader import SpiderLoader

from crawler.domain.params import is_http_url
from crawler.profiles import profile_for_host
from crawler.reprocess.captures import Capture, loose_key, url_key

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.settings import Settings

    from crawler.reprocess.index import CaptureIndex

logger = logging.getLogger(__name__)

FALLBACK_SPIDER = "urls"


class StartPredicate(Protocol):
    def __call__(self, url: str, status: int, mime: str | None) -> bool: ...


class UnknownSpider(ValueError):
    """``--spider`` names no spider of this project."""


@dataclass(frozen=True)
class SpiderChoice:
    """The spider class that reprocesses the archive, and why it was chosen (for the summary)."""

    spidercls: type[Spider]
    reason: str

    @property
    def name(self) -> str:
        return self.spidercls.name


def choose_spider(
    index: CaptureIndex, settings: Settings, requested: str | type[Spider] | None = None
) -> SpiderChoice:
    """The spider for *index*: see the module docstring. Raises :class:`UnknownSpider` for a bad *requested*.

    *requested* is a spider name, or (from Python) a spider class.
    """
    if requested is not None:
        return SpiderChoice(load_spider(settings, requested), "given with --spider")
    loader = SpiderLoader.from_settings(settings)
    available = loader.list()
    for name, _ in index.spiders_named().most_common():
        if name in available:
            return SpiderChoice(loader.load(name), "named in the WARCs' warcinfo records")
    host = next((host for host, _ in index.hosts().most_common() if host), None)
    profile = profile_for_host(host) if host else None
    if profile is not None:
        for name in sorted(available):
            spidercls = loader.load(name)
            if getattr(spidercls, "profile_name", None) == profile.name:
                return SpiderChoice(spidercls, f"its site profile claims {host}")
    return SpiderChoice(loader.load(FALLBACK_SPIDER),
                        f"no warcinfo record names a spider and no site profile claims {host or 'the captured hosts'}")


def load_spider(settings: Settings, spider: str | type[Spider]) -> type[Spider]:
    """The project's spider called *spider* (a class is taken as it is); :class:`UnknownSpider` if there is none."""
    if isinstance(spider, type):
        return spider
    loader = SpiderLoader.from_settings(settings)
    if spider not in loader.list():
        raise UnknownSpider(f"no spider named {spider!r} (available: {', '.join(sorted(loader.list()))})")
    return loader.load(spider)


def starting_points(index: CaptureIndex, accepts: StartPredicate, group: str | None = None,
                    at: datetime | None = None) -> list[str]:
    """The URLs to start from, in archive order: of crawl *group*, or of all crawls (each URL once).

    Of several captures of a URL, the one that replay will answer with decides: the latest, or the one
    closest to *at*.
    """
    chosen = _chosen_per_url(index, group, at)
    accepted = [capture for capture in chosen if is_http_url(capture.url) and capture.status is not None
                and accepts(capture.url, capture.status, capture.mime)]
    redirects = {id(c): _target(c) for c in accepted if c.location and 300 <= (c.status or 0) < 400}
    targets = set(redirects.values())
    # A redirect to /a/ leads to the capture of /a (the same resource written another way), unless that
    # capture is itself the redirect (/a/ -> /a): then it is where the chain starts.
    loose_targets = {loose_key(target) for target in targets}

    def reached(capture: Capture) -> bool:
        if capture.key in targets:
            return True
        if not loose_targets or (own := loose_key(capture.key)) not in loose_targets:
            return False
        return id(capture) not in redirects or loose_key(redirects[id(capture)]) != own

    starts = sorted((c for c in accepted if not reached(c)), key=lambda c: c.order)
    return list(dict.fromkeys(capture.key for capture in starts))


def _chosen_per_url(index: CaptureIndex, group: str | None, at: datetime | None) -> Iterable[Capture]:
    for captures in index.by_url.values():
        candidates = [c for c in captures if c.method == "GET" and (group is None or c.group == group)]
        if candidates:
            yield candidates[-1] if at is None else min(reversed(candidates), key=lambda c: abs(c.date - at))


def _target(redirect: Capture) -> str:
    return url_key(urljoin(redirect.url, (redirect.location or "").strip()))
