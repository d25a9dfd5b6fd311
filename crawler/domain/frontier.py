"""The news crawl's bookkeeping: every URL found, in which roles, what is in flight, and the limits.

No I/O and no Scrapy: the spider offers URLs as it finds them and asks what
to fetch next. A URL is fetched once (keyed by its canonical form, fragment
dropped), whether it was found as an article candidate, as a section to
explore, or both; a role added after the fetch is served from what the fetch
already read.

Limits: ``max_articles`` caps the article lines. Candidates are released only
while lines written plus candidates in flight stay under it, so a crawl
stops at exactly the limit without cutting an article's comment pages off;
a candidate that turns out not to be an article frees its place for the
next. ``since`` drops a candidate whose date hint (a news sitemap's
publication date, a feed's, a teaser's, or a sitemap ``lastmod``, which no
publication can be later than) is before it, and remembers the URL as old
for whoever finds it next.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urldefrag

from w3lib.url import canonicalize_url


def page_key(url: str) -> str:
    """A comparable form of a page's URL: canonical query and escapes, no fragment, no trailing slash."""
    return canonicalize_url(urldefrag(url).url).rstrip("/")


@dataclass
class Target:
    """One URL of the site and what the crawl wants from it."""

    url: str
    key: str
    article: bool = False  # fetch it as an article candidate
    section_depth: int | None = None  # explore it as a listing at this depth from the start page
    announced: bool = False  # a news sitemap, a feed or the user says it is an article: a failure gets a line
    via: set[str] = field(default_factory=set)  # how it was found: start, sitemap, news sitemap, feed, listing
    state: str = "new"  # new, queued (waiting for a place under max_articles), requested, done
    gated: bool = False  # released as a candidate: it holds a place under max_articles until settled
    explored: bool = False  # its links were offered as a listing's
    listing: Any = None  # what the page offered as a listing, once read (for a section role added later)


class Frontier:
    """What was found, what to fetch next, and how many article lines there are (see the module docstring)."""

    def __init__(self, max_articles: int | None, since: datetime | None):
        self.max_articles = max_articles
        self.since = since
        self.targets: dict[str, Target] = {}
        self.old: set[str] = set()
        self.queue: deque[Target] = deque()
        self.in_flight = 0
        self.lines = 0

    @property
    def full(self) -> bool:
        """Whether the article lines have reached ``max_articles``: nothing more is worth finding."""
        return self.max_articles is not None and self.lines >= self.max_articles

    def is_old(self, hint: datetime | None) -> bool:
        return self.since is not None and hint is not None and hint < self.since

    def offer_article(self, url: str, via: str, hint: datetime | None = None, announced: bool = False) -> bool:
        """A found article candidate; whether it is new (queued for :meth:`release`)."""
        key = page_key(url)
        if key in self.old:
            return False
        target = self.targets.get(key)
        if self.is_old(hint):
            self.old.add(key)
            if target is not None and target.state == "queued":
                self.queue.remove(target)
                target.state = "done"
            return False
        if target is None:
            target = self.targets[key] = Target(url, key)
        target.via.add(via)
        target.announced |= announced
        if target.article:
            return False
        target.article = True
        if target.state == "new":
            target.state = "queued"
            self.queue.append(target)
        return True

    def offer_section(self, url: str, depth: int) -> tuple[str | None, Target]:
        """A found listing to explore at *depth*: ``("request", t)`` to fetch it now, ``("explore", t)`` to
        explore what its earlier fetch read, or ``(None, t)``: nothing to do (known, or its answer will do).
        """
        key = page_key(url)
        target = self.targets.get(key)
        if target is None:
            target = self.targets[key] = Target(url, key)
        if target.section_depth is not None or key in self.old:
            return None, target
        target.section_depth = depth
        target.via.add("listing")
        if target.state == "queued":
            self.queue.remove(target)
        if target.state in ("new", "queued"):
            target.state = "requested"
            return "request", target
        if target.state == "done" and target.listing is not None and not target.explored:
            return "explore", target
        return None, target

    def release(self) -> list[Target]:
        """Queued candidates that may be fetched now (each holds a place until :meth:`settle`)."""
        released = []
        while self.queue and (self.max_articles is None or self.lines + self.in_flight < self.max_articles):
            target = self.queue.popleft()
            target.state, target.gated = "requested", True
            self.in_flight += 1
            released.append(target)
        return released

    def settle(self, target: Target, line: bool) -> None:
        """A fetched target is finished: a line was written for it, or not."""
        target.state = "done"
        if target.gated:
            target.gated = False
            self.in_flight -= 1
            self.lines += line

    def claim(self, target: Target) -> bool:
        """Whether the article on *target* may have a line: a released candidate holds its place already; a page
        fetched as a section (a start URL that is an article) takes one if there is one left.
        """
        if not target.gated:
            if self.max_articles is not None and self.lines + self.in_flight >= self.max_articles:
                return False
            target.gated = True
            self.in_flight += 1
        return True
