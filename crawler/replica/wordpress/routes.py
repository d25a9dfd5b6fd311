"""Which page answers which URL on the WordPress replica, with WordPress's redirects and status codes.

:class:`Router` maps (host, path, query) to a :class:`Reply`; the server puts
it on the wire. Pages are rendered once per host and kept (nothing on this
site depends on the real clock).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from crawler.replica.wordpress import archives, singles, xmlfeeds
from crawler.replica.wordpress.model import Post, Site
from crawler.replica.wordpress.theme import Frame, document, sidebar

HTML = "text/html; charset=UTF-8"
MAX_HOSTS = 8  # distinct Host names whose pages are kept; more and the cache starts afresh
NO_CACHE = [("Expires", "Wed, 11 Jan 1984 05:00:00 GMT"), ("Cache-Control", "no-cache, must-revalidate, max-age=0")]
_PAGED = re.compile(r"^(?P<base>/(?:.*/)?)page/(?P<number>\d+)/$")
_POST = re.compile(r"^(?P<post>/\d{4}/\d{2}/\d{2}/[^/]+/)(?:(?:comment-page-(?P<cpage>\d+)/)|(?P<feed>feed/)|"
                   r"(?P<attachment>[^/]+/))?$")
_SITEMAP = re.compile(r"^/([a-z_]+-sitemap\d*)\.xml$")
_CATEGORY_FEED = re.compile(r"^/category/([^/]+)/feed/$")


@dataclass
class Reply:
    """What to send: status, body and headers; ``php`` replies go out chunked (gzip when accepted)."""

    status: int = 200
    body: bytes = b""
    content_type: str = HTML
    php: bool = True
    headers: list[tuple[str, str]] = field(default_factory=list)


def redirect(location: str, by: str = "WordPress") -> Reply:
    return Reply(301, b"", HTML, headers=[("X-Redirect-By", by), ("Location", location)])


class Router:
    """The URL map of the WordPress replica."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._cache: dict[tuple[str, str, str], Reply] = {}
        self._ids: dict[int, str] = {p.id: p.path for p in site.posts}
        self._ids |= {p.image.id: p.image.path for p in site.posts if p.image}
        self._ids |= {page.id: page.path for page in site.pages}
        self._images = {p.image.path: p.image for p in site.posts if p.image}
        self._files = {p.image.file for p in site.posts if p.image}
        self._pages = {page.path: page for page in site.pages}

    def route(self, host: str, path: str, query: dict[str, str]) -> Reply:
        home = f"http://{host}/"
        if path == "/" and query.get("p", "").isdigit():
            target = self._ids.get(int(query["p"]))
            return redirect(home.rstrip("/") + target) if target else self._not_found(home)
        key = (host, path, "")
        reply = self._cache.get(key)
        if reply is None:
            if len(self._cache) > 2000 * MAX_HOSTS:
                self._cache.clear()
            reply = self._cache[key] = self._answer(home, path)
        return reply

    def _answer(self, home: str, path: str) -> Reply:
        site = self.site
        fixed: dict[str, Callable[[], Reply]] = {
            "/robots.txt": lambda: Reply(body=xmlfeeds.robots_txt(home), content_type="text/plain; charset=utf-8",
                                         php=False),
            "/sitemap_index.xml": lambda: _xml(xmlfeeds.sitemap_index(site, home)),
            "/news-sitemap.xml": lambda: _xml(xmlfeeds.news_sitemap(site, home)),
            "/wp-sitemap.xml": lambda: redirect(f"{home}sitemap_index.xml", by="Yoast SEO"),
            "/feed/": lambda: _feed(xmlfeeds.rss(site, home, xmlfeeds.feed_posts(site), f"{home}feed/", site.name)),
            "/feed/atom/": lambda: _feed(xmlfeeds.atom(site, home, xmlfeeds.feed_posts(site)), "application/atom+xml"),
            "/comments/feed/": lambda: _feed(xmlfeeds.comments_rss(site, home, None)),
        }
        if path in fixed:
            return fixed[path]()
        if match := _SITEMAP.match(path):
            body = xmlfeeds.sitemap(site, home, match.group(1))
            return _xml(body) if body is not None else self._not_found(home)
        if match := _CATEGORY_FEED.match(path):
            posts = xmlfeeds.feed_posts(site, match.group(1))
            if not posts:
                return self._not_found(home)
            return _feed(xmlfeeds.rss(site, home, posts, f"{home}{path[1:]}", site.name))
        if path.startswith("/wp-content/uploads/") and path in self._files:
            return Reply(body=_photo(), content_type="image/jpeg", php=False)
        if path == "/wp-content/themes/twentytwentyone/style.css":
            return Reply(body=b"body{font-family:sans-serif}\n", content_type="text/css", php=False)
        if path in self.site.redirects:
            return redirect(home.rstrip("/") + self.site.redirects[path])
        if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            target = self._answer(home, path + "/")
            return redirect(home.rstrip("/") + path + "/") if target.status == 200 else target
        return self._html(home, path)

    def _html(self, home: str, path: str) -> Reply:
        site = self.site
        if path in site.by_path:
            return self._post(home, site.by_path[path], 0)
        if match := _POST.match(path):
            post = site.by_path.get(match.group("post"))
            if post is not None and match.group("feed"):
                return _feed(xmlfeeds.comments_rss(site, home, post))
            if post is not None and match.group("cpage"):
                number = int(match.group("cpage"))
                if 1 <= number <= post.comment_pages:
                    return self._post(home, post, number)
            if match.group("attachment") and path in self._images:
                return self._page(home, singles.attachment_page(site, home, self._images[path]))
        if path in self._pages:
            return self._page(home, singles.static_page(site, home, self._pages[path]))
        base, number = path, 1
        if match := _PAGED.match(path):
            base, number = match.group("base"), int(match.group("number"))
            if number == 1:
                return redirect(home.rstrip("/") + base)
        archive = archives.archive_for(site, home, base)
        if archive is not None and 1 <= number <= archive.pages:
            return self._page(home, archives.archive_page(site, home, archive, number))
        return self._not_found(home)

    def _post(self, home: str, post: Post, comment_page: int) -> Reply:
        reply = self._page(home, singles.post_page(self.site, home, post, comment_page))
        reply.headers += [("Link", f'<{home}wp-json/wp/v2/posts/{post.id}>; rel="alternate"; type="application/json"'),
                          ("Link", f"<{home}?p={post.id}>; rel=shortlink")]
        return reply

    def _page(self, home: str, frame: Frame, status: int = 200) -> Reply:
        body = document(self.site, home, frame, sidebar(self.site, home)).encode()
        return Reply(status, body, headers=[("Link", f'<{home}wp-json/>; rel="https://api.w.org/"')])

    def _not_found(self, home: str) -> Reply:
        reply = self._page(home, singles.not_found(self.site), 404)
        reply.headers += NO_CACHE
        return reply


def _xml(body: bytes) -> Reply:
    return Reply(body=body, content_type="text/xml; charset=UTF-8", headers=[("X-Robots-Tag", "noindex, follow")])


def _feed(body: bytes, kind: str = "application/rss+xml") -> Reply:
    return Reply(body=body, content_type=f"{kind}; charset=UTF-8")


@functools.cache
def _photo() -> bytes:
    return resources.files("crawler.replica").joinpath("data/photo.jpg").read_bytes()
