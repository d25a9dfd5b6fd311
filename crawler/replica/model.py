"""The replica site's data as the CMS's database would hold it: articles, comments, users.

Pure data: :mod:`crawler.replica.content` fills it in, :mod:`crawler.replica.render`
writes pages from it. Article bodies and comment texts are written lazily, on
first render, from a random generator seeded by the item's own id, so start-up
stays fast and the text does not depend on the order pages are requested in.
The comment trees of ordinary stories are drawn lazily too (:class:`Unwritten`).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from crawler.replica.clock import DateStyle, Relative
from crawler.replica.textbank import Topic

SITE_NAME = "Military Review"
REAL_HOME = "https://en.topwar.ru"
COMMENTS_PER_PAGE = 20  # top-level threads per comment page
STORIES_PER_PAGE = 20


@dataclass(frozen=True)
class SiteInfo:
    """Which site a replica plays: its name, real address (for canonical links) and language."""

    key: str
    name: str
    real_home: str
    lang: str
    description: str
    keywords: str


EN_SITE = SiteInfo("en", SITE_NAME, REAL_HOME, "en",
                   "Military Review: news of the army, weapons and military equipment, analytics and history.",
                   "military review, army, weapons, military news")  # fmt: skip


class Kind(Enum):
    """How an article's page behaves; everything but NORMAL is a deliberate fault."""

    NORMAL = "normal"
    MISSING_TITLE = "missing-title"  # empty <h1>, <title> of just the site name
    TRUNCATED = "truncated"  # page cut off mid-body, Content-Length of the cut bytes
    GONE = "gone"  # listed, but the article page answers 404
    CP1251 = "cp1251"  # Russian, windows-1251, no charset anywhere
    BLOG = "blog"  # a user blog post under /blogs/, disallowed by robots.txt


class ScoreStyle(Enum):
    """How a template variant writes comment ratings."""

    STANDARD = "standard"  # +2 / 0 / -3
    PADDED = "padded"  # " +15 " / " 0 " / "−3" (U+2212)
    DISABLED = "disabled"  # "—": rating was switched off


@dataclass
class Comment:
    """One reader comment; ``replies`` nest to any depth."""

    article_id: int
    parent: Comment | None
    author: str
    posted: datetime
    rating: int
    date_style: DateStyle = DateStyle.TRANSLATED
    date_text: str | None = None  # a corrupted date shown as is, instead of ``posted``
    deleted: bool = False
    html: str | None = None  # fixed text; generated on first render otherwise
    pinned_id: int | None = None  # the id a fixed comment must get (the seed article's)
    id: int = 0  # assigned site-wide once all comments exist
    replies: list[Comment] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    def walk(self) -> Iterator[Comment]:
        """This comment and all its replies, in page order."""
        yield self
        for reply in self.replies:
            yield from reply.walk()


@dataclass
class Unwritten:
    """Comment threads not drawn yet: their posting times (known up front), ids, and how to draw them."""

    times: list[datetime]  # in posting order, at least a minute apart
    draw: Callable[[], list[Comment]]
    ids: list[int] = field(default_factory=list)  # one per time, assigned site-wide

    def threads(self) -> list[Comment]:
        """The drawn threads, each comment given the id of its posting time."""
        threads = self.draw()
        in_time_order = sorted((c for thread in threads for c in thread.walk()), key=lambda c: c.posted)
        if [c.posted for c in in_time_order] != self.times:
            raise RuntimeError("comments drawn at other times than their ids were given for")
        for comment, comment_id in zip(in_time_order, self.ids, strict=True):
            comment.id = comment_id
        return threads


@dataclass
class Article:
    """A news story and its comment threads."""

    id: int
    slug: str
    title: str
    section: str
    author: str
    posted: datetime
    tags: tuple[str, ...]
    topic: Topic | None  # None for stories whose text is fixed
    text_seed: str  # seeds the generator that writes the body and the comments
    kind: Kind = Kind.NORMAL
    views: int = 0
    rating: int = 0
    comment_relative: Relative = Relative.CALENDAR
    score_style: ScoreStyle = ScoreStyle.STANDARD
    listed_slug: str | None = None  # an old slug the listings still link (answers 301)
    body_html: str | None = None  # fixed body; generated on first render otherwise
    teaser: str | None = None
    photo_credit: str | None = None
    image_src: str | None = None
    unwritten: Unwritten | None = None  # the threads, until a page shows them
    _threads: list[Comment] = field(default_factory=list, repr=False)

    @property
    def threads(self) -> list[Comment]:
        """The top-level comments in page order, each holding its replies."""
        if self.unwritten is not None:
            self._threads, self.unwritten = self.unwritten.threads(), None
        return self._threads

    @threads.setter
    def threads(self, threads: list[Comment]) -> None:
        self._threads, self.unwritten = threads, None

    @property
    def path(self) -> str:
        """The article's current URL path."""
        prefix = "/blogs" if self.kind is Kind.BLOG else ""
        return f"{prefix}/{self.id}-{self.slug}.html"

    @property
    def listed_path(self) -> str:
        """The URL path listings link to (an old one for a renamed article)."""
        prefix = "/blogs" if self.kind is Kind.BLOG else ""
        return f"{prefix}/{self.id}-{self.listed_slug or self.slug}.html"

    @property
    def comment_count(self) -> int:
        if self.unwritten is not None:
            return len(self.unwritten.times)
        return sum(1 for thread in self.threads for _ in thread.walk())

    @property
    def last_comment_id(self) -> int:
        """The newest comment's id (0 without comments), without drawing the threads."""
        if self.unwritten is not None:
            return self.unwritten.ids[-1] if self.unwritten.ids else 0
        return max((c.id for c in self.comments()), default=0)

    @property
    def comment_pages(self) -> int:
        return max(1, -(-len(self.threads) // COMMENTS_PER_PAGE))

    def threads_on_page(self, page: int) -> list[Comment]:
        start = (page - 1) * COMMENTS_PER_PAGE
        return self.threads[start : start + COMMENTS_PER_PAGE]

    def comments(self) -> Iterator[Comment]:
        """Every comment, in page order."""
        for thread in self.threads:
            yield from thread.walk()


def user_path(name: str) -> str:
    """A profile URL path as DLE writes it (``urlencode``: spaces become ``+``)."""
    return f"/user/{urllib.parse.quote_plus(name)}/"


def tag_path(tag: str) -> str:
    return f"/tags/{urllib.parse.quote_plus(tag)}/"
