"""What the WordPress replica holds: posts, pages, comments, terms and people, and the site's clock.

Plain records, filled once by :mod:`crawler.replica.wordpress.content` and
only read afterwards. Times are aware datetimes in the site's timezone
(``Europe/Berlin``, as WordPress's "Timezone" setting); ids grow with time,
as WordPress's auto-increment ids do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Berlin")
# The site's "now": every date on the site is fixed relative to it, whatever the real clock says.
ANCHOR = datetime(2026, 3, 12, 9, 30, tzinfo=TZ)
# Yoast last rebuilt its (cached) post sitemaps at this time; the news sitemap is always fresh.
SITEMAP_CACHED = datetime(2026, 3, 12, 8, 0, tzinfo=TZ)
NEWS_WINDOW_HOURS = 48  # Google News sitemaps list the last two days
POSTS_PER_PAGE = 10  # Settings > Reading: "Blog pages show at most"
THREADS_PER_PAGE = 10  # Settings > Discussion: "Break comments into pages with 10 top level comments per page"
MAX_DEPTH = 5  # Settings > Discussion: "Enable threaded (nested) comments 5 levels deep"
FEED_ITEMS = 10  # Settings > Reading: "Syndication feeds show the most recent 10 items"
SITEMAP_ENTRIES = 25  # the site's wpseo_sitemap_entries_per_page filter (Yoast's default is 1000)

_ID_EPOCH = date(2025, 9, 1)
_COMMENT_EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)


def post_id(day: date, slot: int) -> int:
    """A post's id from its publication day: five ids a day, ``slot`` 0-4 (see the package docs)."""
    return 1000 + 5 * (day - _ID_EPOCH).days + slot


def comment_id(when: datetime, slot: int) -> int:
    """A comment's id: ten ids per minute since 2025-01-01 UTC, ``slot`` 0-9 within the minute."""
    return 10 * int((when - _COMMENT_EPOCH).total_seconds() // 60) + slot


@dataclass(frozen=True)
class Person:
    slug: str
    name: str
    bio: str = ""


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    description: str
    in_menu: bool = True  # in the primary menu, the Categories widget and the category sitemap
    on_home: bool = True  # on the home page (a category-excluder plugin)
    in_feeds: bool = True  # in the main RSS and Atom feeds (the same plugin)
    language: str = "en-US"


@dataclass
class Comment:
    """A comment (or a pingback) as WordPress stores it: its text is the HTML ``comment_text()`` prints."""

    id: int
    author: str
    when: datetime
    html: str
    parent: Comment | None = None
    author_url: str | None = None
    by_post_author: bool = False
    pingback: bool = False
    children: list[Comment] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1


@dataclass
class Image:
    """A media-library image (an attachment post) and the post it was uploaded to."""

    id: int
    slug: str
    title: str
    caption: str
    uploaded: datetime
    parent_path: str  # the permalink path of the post it belongs to

    @property
    def file(self) -> str:
        return f"/wp-content/uploads/{self.uploaded:%Y/%m}/{self.slug}.jpg"

    @property
    def path(self) -> str:
        """The attachment page, under its post (WordPress's attachment permalink)."""
        return f"{self.parent_path}{self.slug}/"


@dataclass
class Post:
    """A post (``post_type`` post or dossier) with everything its templates show."""

    id: int
    slug: str
    title: str
    author: Person
    category: Category
    published: datetime
    modified: datetime
    standfirst: str | None
    paragraphs: list[str]  # HTML blocks of the post content, as the block editor saved them
    tags: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)  # in posting order, replies included
    image: Image | None = None
    post_type: str = "post"
    noindex: bool = False  # Yoast "Allow search engines to show this post?": No (left out of sitemaps)
    discussion: str = "wordpress"  # wordpress | leserbrief | forum: which template shows the comments
    schema_type: str | list[str] = "NewsArticle"  # Yoast's article type for the post
    dated: bool = True  # False: no date anywhere on the page (the dossier template)
    old_slugs: tuple[str, ...] = ()  # earlier slugs (wp_old_slug_redirect answers them with 301)

    @property
    def path(self) -> str:
        if self.post_type == "dossier":
            return f"/dossier/{self.slug}/"
        return f"/{self.published:%Y/%m/%d}/{self.slug}/"

    def old_paths(self) -> list[str]:
        return [f"/{self.published:%Y/%m/%d}/{slug}/" for slug in self.old_slugs]

    @property
    def language(self) -> str:
        return self.category.language

    @property
    def threads(self) -> list[Comment]:
        return [comment for comment in self.comments if comment.parent is None]

    @property
    def comment_pages(self) -> int:
        if self.discussion != "wordpress":
            return 1
        return max(1, -(-len(self.threads) // THREADS_PER_PAGE))

    def page_threads(self, number: int) -> list[Comment]:
        """The top-level comments on comment page *number* (1 is the oldest), oldest first."""
        threads = self.threads
        return threads[(number - 1) * THREADS_PER_PAGE : number * THREADS_PER_PAGE]


@dataclass
class StaticPage:
    """A WordPress page (About, Contact…): Yoast marks it og:type article but gives it no Article node."""

    id: int
    slug: str
    title: str
    paragraphs: list[str]
    published: datetime
    modified: datetime
    contact_form: bool = False

    @property
    def path(self) -> str:
        return f"/{self.slug}/"


@dataclass
class Site:
    """Everything the replica serves, newest post first."""

    seed: int
    name: str
    tagline: str
    posts: list[Post]
    pages: list[StaticPage]
    categories: list[Category]
    authors: list[Person]
    gone_paths: list[tuple[str, datetime]]  # deleted posts the cached post sitemap still lists, with lastmod
    by_path: dict[str, Post] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)  # old path -> current path

    def __post_init__(self) -> None:
        for post in self.posts:
            self.by_path[post.path] = post
            for old in post.old_paths():
                self.redirects[old] = post.path

    def tags(self) -> list[str]:
        return sorted({tag for post in self.posts for tag in post.tags}, key=str.casefold)
