"""The records a crawl produces: one :class:`Article` per JSON Lines line.

Field names, order and formats are the public schema described in
``crawler/schema/article.schema.json`` and the README; change them together.
Timestamps are ISO 8601 strings with an offset, so an item serializes the same
way whichever exporter writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Source:
    """One HTTP response an article was built from, and where its bytes lie in a WARC."""

    url: str
    status: int
    captured_at: str
    warc_filename: str | None = None
    warc_record_id: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None


@dataclass
class Comment:
    """A reader comment; ``depth`` 0 is a top-level comment, replies count up from there.

    ``score`` is the rating the page shows (for the likes/dislikes layout,
    likes minus dislikes); ``likes`` and ``dislikes`` where the page shows them.
    """

    id: str
    parent_id: str | None
    depth: int
    author: str | None
    posted_at: str | None
    posted_at_raw: str | None
    score: int | None
    text: str | None
    quotes: list[str] = field(default_factory=list)
    deleted: bool = False
    likes: int | None = None
    dislikes: int | None = None


@dataclass
class Article:
    """An article page with all its comments, however many pages they span."""

    id: str
    url: str
    canonical_url: str | None
    site: str
    title: str | None = None
    author: str | None = None
    published_at: str | None = None
    published_at_raw: str | None = None  # the page's statement published_at was read from, as written
    body: str | None = None
    tags: list[str] = field(default_factory=list)
    comment_count_declared: int | None = None
    comments: list[Comment] = field(default_factory=list)
    fetched_at: str | None = None
    warnings: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    # Fields the page did not give although the site's pages should (title, author, published_at, body,
    # comments.posted_at, comments.score): each has a warning naming what was tried; the crawl counts them.
    missing: list[str] = field(default_factory=list)


# What a missing field is called in warnings and messages (``missing`` holds the keys).
MISSING_LABELS = {
    "title": "title",
    "author": "author",
    "published_at": "publication date",
    "body": "article text",
    "comments.posted_at": "comment dates",
    "comments.score": "comment scores",
}


def missing_warning(field: str, tried: str | None = None) -> str:
    """The warning for a field a page did not give: ``no title found (tried: h1.heading, …)``."""
    return f"no {MISSING_LABELS[field]} found" + (f" (tried: {tried})" if tried else "")
