"""The replica site's data as the CMS's database would hold it: articles, comments, users.

Pure data: :mod:`crawler.replica.content` fills it in, :mod:`crawler.replica.render`
writes pages from it. Article bodies and comment texts are written lazily, on
first render, from a random generator seeded by the item's own id, so start-up
stays fast and the text does not depend on the order pages are requested in.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from crawler.replica.clock import DateStyle, Relative
from crawler.replica.textbank import Topic

SITE_NAME = "Military Review"
REAL_HOME = "https://en.topwar.ru"
COMMENTS_PER_PAGE = 20  # top-level threads per comment page
STORIES_PER_PAGE = 20


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

    def walk(self):
        """This comment and all its replies, in page order."""
        yield self
        for reply in self.replies:
            yield from reply.walk()


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
    threads: list[Comment] = field(default_factory=list)

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
        return sum(1 for thread in self.threads for _ in thread.walk())

    @property
    def comment_pages(self) -> int:
        return max(1, -(-len(self.threads) // COMMENTS_PER_PAGE))

    def threads_on_page(self, page: int) -> list[Comment]:
        start = (page - 1) * COMMENTS_PER_PAGE
        return self.threads[start : start + COMMENTS_PER_PAGE]

    def comments(self):
        """Every comment, in page order."""
        for thread in self.threads:
            yield from thread.walk()


def user_path(name: str) -> str:
    """A profile URL path as DLE writes it (``urlencode``: spaces become ``+``)."""
    return f"/user/{urllib.parse.quote_plus(name)}/"


def tag_path(tag: str) -> str:
    return f"/tags/{urllib.parse.quote_plus(tag)}/"
