"""What a site profile holds, compiled: identity, locale, URL patterns, and where each field is found.

Article and listing fields are :class:`~crawler.markup.fields.FieldChain` objects:
several sources in order of trust, the first that finds something wins.
Comment fields are element tests (:class:`~crawler.markup.selectors.ElementSelector`),
because each comment is walked once and every element in it tested; the
value fields among them also come as several, in order of trust.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from crawler.domain.timestamps import TimestampPolicy
from crawler.markup.fields import FieldChain
from crawler.markup.selectors import Css, ElementSelector, SelectorDispatch


@dataclass(frozen=True)
class ListingSelectors:
    """Listing pages: article teasers, their links and dates (inside a teaser), and the next page."""

    item: FieldChain
    link: FieldChain
    date: FieldChain
    next_page: FieldChain


@dataclass(frozen=True)
class ArticleSelectors:
    """Article page fields, each found by a chain of sources; ``body_drop`` removes nodes before reading text."""

    title: FieldChain
    author: FieldChain
    published: FieldChain
    body: FieldChain
    body_drop: tuple[Css, ...]
    tags: FieldChain
    comment_count: FieldChain
    canonical: FieldChain
    comments_block: FieldChain
    comments_pager: FieldChain


# The selectors looked for inside each comment; every one gives the comment its first match.
COMMENT_FIELDS = ("author", "date", "score", "likes", "dislikes", "text")
# The fields a page's comments can be expected to show (a score is also shown by likes and dislikes).
EXPECTABLE_COMMENT_FIELDS = ("date", "score")


@dataclass(frozen=True)
class CommentSelectors:
    """Comment tree markup: CSS that tests one element by itself (no combinators; see
    :class:`crawler.markup.selectors.ElementSelector`), and the regular expression that finds a comment's id.

    The structure (``list``, ``thread``, ``replies``, ``comment``) and the markers (``quote``,
    ``quote_drop``, ``smiley``, ``deleted``) match any of their selectors; the value fields try
    theirs in order of trust (a page showing a rating wrapper and the bare rating gives the first).
    ``expect`` names the fields that some comment on every page must show (by default a date and a
    score): when none does, the theme has drifted, and the crawl says so. A site whose template
    never shows scores lists only ``date``.
    """

    list: ElementSelector
    thread: ElementSelector
    replies: ElementSelector
    comment: ElementSelector
    id_pattern: re.Pattern[str]
    author: tuple[ElementSelector, ...]
    date: tuple[ElementSelector, ...]
    score: tuple[ElementSelector, ...]
    likes: tuple[ElementSelector, ...]
    dislikes: tuple[ElementSelector, ...]
    text: tuple[ElementSelector, ...]
    quote: ElementSelector
    quote_drop: ElementSelector
    smiley: ElementSelector
    deleted: ElementSelector
    expect: tuple[str, ...] = EXPECTABLE_COMMENT_FIELDS

    @cached_property
    def css(self) -> dict[str, list[str]]:
        """Per value field, its selectors' CSS in order of trust (what warnings and ``profile check`` name)."""
        return {name: [selector.css for selector in getattr(self, name)] for name in COMMENT_FIELDS}

    @cached_property
    def tried(self) -> dict[str, str]:
        """Per value field, its selectors as a warning lists them: ``a.x, a.y``."""
        return {name: ", ".join(css) for name, css in self.css.items()}

    @cached_property
    def inside(self) -> SelectorDispatch:
        """What is looked for inside each comment (its fields, and the deleted mark), compiled once."""
        return SelectorDispatch({**{name: getattr(self, name) for name in COMMENT_FIELDS}, "deleted": (self.deleted,)})


@dataclass(frozen=True)
class SiteProfile:
    """One site: identity, locale, URL patterns and selectors."""

    name: str
    site: str
    hosts: tuple[str, ...]
    start_urls: tuple[str, ...]
    timezone: str
    languages: tuple[str, ...]
    fallback_encoding: str
    title_suffixes: tuple[str, ...]
    boilerplate: tuple[re.Pattern[str], ...]
    article_url: re.Pattern[str]
    listing_url: re.Pattern[str]
    comments_url: str
    comments_page_number: re.Pattern[str]
    skin_pattern: re.Pattern[str]
    default_skin: str
    listing: ListingSelectors
    article: ArticleSelectors
    comments: CommentSelectors
    comments_ajax_headers: dict[str, str] = field(default_factory=dict)
    # The site's own date formats (strptime), read before any other shape: DLE's date() setting.
    date_formats: tuple[str, ...] = ()

    @cached_property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def timestamps(self) -> TimestampPolicy:
        """How this site's dates are read: in its zone, its languages and formats, human formats included."""
        return TimestampPolicy(zone=self.tzinfo, languages=self.languages, formats=self.date_formats)

    def article_id(self, path: str) -> str | None:
        """The site's own article id in a URL path, or None if the path is not an article."""
        match = self.article_url.search(path)
        return match.group("id") if match else None


