"""Which page answers which URL, with the status and headers the site's PHP would send.

:class:`Router` maps a request (method, host, path, query) to a :class:`Reply`;
:mod:`crawler.replica.server` puts it on the wire. Pages are rendered once per
host and kept; their relative dates are filled per request by the server.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from datetime import datetime

from crawler.replica import assets, infopages
from crawler.replica.clockcontrol import CLOCK_PATH, clock_reply
from crawler.replica.content import SiteContent
from crawler.replica.controller import CommentsController
from crawler.replica.feeds import robots_txt, rss, sitemap
from crawler.replica.model import Article, Kind
from crawler.replica.prose import Prose
from crawler.replica.reply import Reply, redirect
from crawler.replica.templates import Page
from crawler.replica.themes import Theme, make_theme
from crawler.replica.timeline import Timeline
from crawler.replica.variant import Variant

MAX_HOSTS = 16  # distinct Host names whose pages are kept; more and the cache starts afresh


Handler = Callable[..., Reply | None]


class Router:
    """The URL map of the replica site."""

    def __init__(self, content: SiteContent, variant: Variant | None = None) -> None:
        self.content = content
        self.variant = (variant or Variant()).resolved()
        self.base = content  # the site at its anchor; ``content`` is the site at the replica's clock
        self.generation = 0  # counts clock moves, so kept bodies can be dropped
        self._timeline: Timeline | None = None
        self.prose = Prose()
        self._renderers: dict[str, Theme] = {}
        self._pages: dict[tuple, Page] = {}
        self.controller = CommentsController(self)
        self._exact: dict[str, Callable[[str, dict[str, str]], Reply | None]] = {
            "/": lambda host, args: self._main_listing(host, "1"),
            "/index.php": lambda host, args: infopages.index_php(self, host, args),
            "/robots.txt": lambda host, args: Reply(body=robots_txt(host), content_type="text/plain", php=False,
                                                    last_modified=assets.STATIC_MTIME),
            "/sitemap.xml": lambda host, args: self._feed(host, "sitemap", lambda r: sitemap(self.content, r.home)),
            "/rss.xml": lambda host, args: self._feed(
                host, "rss", lambda r: rss(self.content, self.prose, r.home, self.variant.charset)),
            "/engine/ajax/controller.php": lambda host, args: self.controller.reply(host, args),
            "/rules.html": lambda host, args: infopages.rules(self, host),
            CLOCK_PATH: lambda host, args: clock_reply(self, args),
        }  # fmt: skip
        self._patterns: list[tuple[re.Pattern[str], Handler]] = [
            (re.compile(r"/page/(\d+)/"), self._main_listing),
            (re.compile(r"/(\d+)-([^/]*)\.html"), self._article),
            (re.compile(r"/blogs/(\d+)-([^/]*)\.html"), self._blog),
            (re.compile(r"(/blogs)?/page,1,(\d+),(\d+)-([^/]*)\.html"), self._comment_page),
            (re.compile(r"/([a-z]+)/(?:page/(\d+)/)?"), self._section),
            (re.compile(r"/tags/([^/]+)/(?:page/(\d+)/)?"), self._tag),
            (re.compile(r"/user/([^/]+)/"), self._user),
            (re.compile(r"/engine/data/emoticons/([a-z]+)\.gif"), assets.emoticon),
            (re.compile(r"/uploads/posts/\d{4}-\d{2}/[\w.-]+\.jpg"), assets.photo),
        ]

    def move_clock(self, now: datetime) -> None:
        """Serve the site as it stands at *now* (see :mod:`crawler.replica.timeline`); ValueError before the anchor."""
        if self._timeline is None:
            self._timeline = Timeline(self.base)
        self.content = self._timeline.site_at(now)
        self._renderers.clear()
        self._pages.clear()
        self.generation += 1

    def renderer(self, host: str) -> Theme:
        """The pages of the site's theme as seen through *host*."""
        renderer = self._renderers.get(host)
        if renderer is None:
            if len(self._renderers) >= MAX_HOSTS:
                self._renderers.clear()
                self._pages.clear()
            renderer = self._renderers[host] = make_theme(self.variant, self.content, self.prose, host)
        return renderer

    def page(self, host: str, key: tuple, build: Callable[[Theme], Page | None]) -> Page | None:
        """The page *key* for *host*, rendered on first use."""
        full_key = (host, *key)
        page = self._pages.get(full_key)
        if page is None:
            page = build(self.renderer(host))
            if page is not None:  # misses are not kept: their keys come straight from the URL
                self._pages[full_key] = page
        return page

    def route(self, host: str, path: str, args: dict[str, str]) -> Reply:
        """The reply for *path* (percent-encoded, no query) with query/form *args*, asked for on *host*."""
        handler = self._exact.get(path)
        reply = handler(host, args) if handler else assets.static_file(path)
        if reply is None and handler is None:
            for pattern, route in self._patterns:
                match = pattern.fullmatch(path)
                if match:
                    reply = route(host, *match.groups())
                    break
        return reply or self.not_found(host)

    def not_found(self, host: str) -> Reply:
        page = self.page(host, ("404",), lambda r: r.not_found())
        return Reply(status=404, page=page, php=False, cache_key=("404",))

    def html(self, host: str, key: tuple, build: Callable[[Theme], Page | None], **reply) -> Reply | None:
        page = self.page(host, key, build)
        return None if page is None else Reply(page=page, cache_key=key, **reply)

    def _feed(self, host: str, name: str, build: Callable[[Theme], Page]) -> Reply | None:
        return self.html(host, (name,), build, last_modified=self.content.stories[0].posted.timestamp())

    def _main_listing(self, host: str, page: str) -> Reply | None:
        return self.html(host, ("main", int(page)), lambda r: r.listing(self.content.stories, int(page), "/"))

    def _section(self, host: str, slug: str, page: str | None) -> Reply | None:
        number = int(page or 1)
        if slug == "blogs" and self.content.blogs:
            stories = list(self.content.blogs.values())
            return self.html(host, ("blogs", number), lambda r: r.listing(stories, number, "/blogs/", "Blogs"))
        if slug not in self.content.sections:
            return None
        stories = self.content.by_section.get(slug, [])
        name = self.content.sections[slug]
        return self.html(host, ("section", slug, number), lambda r: r.listing(stories, number, f"/{slug}/", name))

    def _tag(self, host: str, quoted: str, page: str | None) -> Reply | None:
        tag = _unquote(quoted)
        number = int(page or 1)
        return self.html(host, ("tag", tag, number), lambda r: r.tag_listing(tag, number))

    def _user(self, host: str, quoted: str) -> Reply | None:
        name = _unquote(quoted)
        return self.html(host, ("user", name), lambda r: r.user(name))

    def _article(self, host: str, article_id: str, slug: str) -> Reply | None:
        article = self.content.articles.get(int(article_id))
        return self._story(host, article, slug)

    def _blog(self, host: str, article_id: str, slug: str) -> Reply | None:
        return self._story(host, self.content.blogs.get(int(article_id)), slug)

    def _story(self, host: str, article: Article | None, slug: str) -> Reply | None:
        if article is None or article.kind is Kind.GONE:
            return None
        if slug != article.slug:
            # DLE answers an outdated or mistyped slug with a permanent redirect to the right one.
            return redirect(f"http://{host}{article.path}")
        return self._story_page(host, article, 1)

    def _comment_page(self, host: str, blogs: str | None, number: str, article_id: str, slug: str) -> Reply | None:
        """``/page,1,N,ID-slug.html``: the story with comment page N, where the theme links such pages."""
        if not self.renderer(host).paged_links:
            return None
        article = (self.content.blogs if blogs else self.content.articles).get(int(article_id))
        if article is None or article.kind is Kind.GONE:
            return None
        if slug != article.slug:
            return redirect(f"http://{host}{article.path}")
        # Past the last page DLE's seo_control sends the reader to the story itself.
        return self._story_page(host, article, int(number)) or redirect(f"http://{host}{article.path}")

    def _story_page(self, host: str, article: Article, comment_page: int) -> Reply | None:
        key: tuple = ("article", article.id, article.kind.value)
        if comment_page != 1:
            key = (*key, comment_page)
        reply = self.html(host, key, lambda r: r.article(article, comment_page), session=True,
                          last_modified=self.content.last_modified(article).timestamp(),
                          etag=self.content.etag(article, 0 if comment_page == 1 else comment_page))  # fmt: skip
        if reply is not None and article.kind is Kind.TRUNCATED:
            reply.cut = True
        return reply


def _unquote(quoted: str) -> str:
    """A name from a URL path: UTF-8, or windows-1251 as a windows-1251 site's DLE encodes names."""
    try:
        return urllib.parse.unquote_plus(quoted, errors="strict")
    except UnicodeDecodeError:
        return urllib.parse.unquote_plus(quoted, encoding="cp1251")
