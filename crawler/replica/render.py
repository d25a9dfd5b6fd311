"""The site's HTML pages, written the way DLE's templates write them.

One :class:`Renderer` serves one host name: DLE builds absolute links from its
configured home URL, the replica from the request's ``Host``, so links work on
whatever port it listens on. Canonical and OpenGraph URLs point at the real
site, as a copied page's would. Comment pages are in :mod:`crawler.replica.discussion`.
"""

from __future__ import annotations

import functools
import hashlib
import html
from datetime import datetime

from crawler.replica.clock import DateStyle, Relative, date_markup
from crawler.replica.content import SiteContent
from crawler.replica.discussion import Discussion
from crawler.replica.labels import LABELS, RU_SECTIONS
from crawler.replica.model import (
    REAL_HOME,
    SITE_NAME,
    STORIES_PER_PAGE,
    Article,
    Comment,
    Kind,
    tag_path,
    user_path,
)
from crawler.replica.pager import pager_links
from crawler.replica.prose import Prose
from crawler.replica.templates import Markup, Page, escape, join, template

ARTICLE_DATE = DateStyle.PLAIN
LATEST_COMMENTS = 6  # in the sidebar


def latest_comments(stories: list[Article], count: int) -> list[tuple[Comment, Article]]:
    """The newest *count* comments left standing on ordinary story pages, newest first.

    Only the stories whose newest comment could make the list have their threads drawn.
    """
    candidates = sorted((a for a in stories if a.kind is Kind.NORMAL), key=lambda a: a.last_comment_id, reverse=True)
    latest: list[tuple[Comment, Article]] = []
    for article in candidates:
        if len(latest) >= count and article.last_comment_id < latest[-1][0].id:
            break
        latest += [(c, article) for c in article.comments() if not c.deleted]
        latest = sorted(latest, key=lambda pair: pair[0].id, reverse=True)[:count]
    return latest


class Renderer:
    """Pages of one site as seen through one host name."""

    def __init__(self, content: SiteContent, prose: Prose, host: str) -> None:
        self.content = content
        self.prose = prose
        self.home = f"http://{host}"
        self.discussion = Discussion(content, prose, self.home)
        self.login_hash = hashlib.sha1(f"{content.seed}/login".encode()).hexdigest()

    def date(self, when: datetime, style: DateStyle = ARTICLE_DATE) -> str | Markup:
        text = date_markup(when, style, Relative.CALENDAR, self.content.anchor)
        return text if isinstance(text, str) else [text]

    def section_name(self, slug: str, lang: str = "en") -> str:
        if lang == "ru":
            return RU_SECTIONS[slug]
        return "Blogs" if slug == "blogs" else self.content.sections[slug]

    def _nav(self, lang: str) -> str:
        return "".join(
            f'\t\t\t\t<li><a href="{self.home}/{slug}/">{self.section_name(slug, lang)}</a></li>\n'
            for slug in self.content.sections
        )

    @functools.cached_property
    def _popular(self) -> str:
        recent = [a for a in self.content.stories[:40] if a.kind in (Kind.NORMAL,)]
        top = sorted(recent, key=lambda a: a.views, reverse=True)[:5]
        return "".join(f'\t\t\t\t\t<li><a href="{self.home}{a.path}">{escape(a.title)}</a></li>\n' for a in top)

    @functools.cached_property
    def _last_comments(self) -> str:
        items = []
        for comment, article in latest_comments(self.content.stories, LATEST_COMMENTS):
            words = html.unescape(self.prose.comment(article, comment).first_line)
            excerpt = words if len(words) <= 90 else words[:90].rsplit(" ", 1)[0] + "..."
            items.append(
                f'\t\t\t\t\t<li><a href="{self.home}{user_path(comment.author)}">{escape(comment.author)}</a> '
                f'&rarr; <a href="{self.home}{article.path}#comment-id-{comment.id}">{escape(article.title)}</a>'
                f"<br>{escape(excerpt)}</li>\n"
            )
        return "".join(items)

    def layout(
        self,
        *,
        title: str,
        content: Markup | str,
        canonical: str,
        description: str = "",
        og: Markup | str = "",
        speedbar: str = "",
        lang: str = "en",
        keywords: str = "",
    ) -> Markup:
        """A full page: header, navigation, *content* in ``#dle-content``, sidebar and footer."""
        values = {
            **LABELS[lang],
            "lang": lang,
            "meta-charset": "" if lang == "ru" else '<meta charset="utf-8">\n',
            "title": escape(title),
            "description": escape(description),
            "keywords": escape(keywords or "military review, army, weapons, military news"),
            "og": og,
            "canonical": canonical,
            "site-name": SITE_NAME,
            "home": self.home,
            "login-hash": self.login_hash,
            "nav": self._nav(lang),
            "speedbar": speedbar,
            "content": content,
            "popular": self._popular,
            "last-comments": self._last_comments,
            "year": str(self.content.anchor.year),
        }
        return template("main").render(values)

    def short_story(self, article: Article) -> Markup:
        category = "blogs" if article.kind is Kind.BLOG else article.section
        return template("shortstory").render({
            "link": f"{self.home}{article.listed_path}",
            "title": escape(article.title),
            "date": self.date(article.posted),
            "category-link": f"{self.home}/{category}/",
            "category": self.section_name(category),
            "comments-num": str(article.comment_count),
            "teaser": escape(self.prose.story(article).teaser),
        })  # fmt: skip

    def listing(self, stories: list[Article], page: int, base: str, heading: str | None = None) -> Page | None:
        """Page *page* of *stories* under the path *base* (``/``, ``/news/``); None past the last page."""
        pages = max(1, -(-len(stories) // STORIES_PER_PAGE))
        if not 1 <= page <= pages:
            return None
        shown = stories[(page - 1) * STORIES_PER_PAGE : page * STORIES_PER_PAGE]
        blocks = join([self.short_story(a) for a in shown], "\n")
        nav = self._listing_navigation(page, pages, base) if pages > 1 else ""
        title = SITE_NAME if heading is None else f"{heading} - {SITE_NAME}"
        if page > 1:
            title = f"{title} - page {page}"
        speedbar = ""
        if heading is not None:
            speedbar = (
                f'\t\t\t<div class="speedbar"><a href="{self.home}/">{SITE_NAME}</a> &raquo; {escape(heading)}</div>\n'
            )
        url = base if page == 1 else f"{base}page/{page}/"
        return Page.from_markup(self.layout(
            title=title,
            content=["\n", *blocks, "\n", nav],
            canonical=f"{REAL_HOME}{url}",
            description="Military Review: news of the army, weapons and military equipment, analytics and history.",
            og=f'<meta property="og:site_name" content="{SITE_NAME}">\n<meta property="og:type" content="website">\n'
               f'<meta property="og:title" content="{escape(title)}">\n'
               f'<meta property="og:url" content="{REAL_HOME}{url}">\n',
            speedbar=speedbar,
        ))  # fmt: skip

    def _listing_navigation(self, page: int, pages: int, base: str) -> str:
        def href(n: int) -> str:
            return f'href="{self.home}{base}"' if n == 1 else f'href="{self.home}{base}page/{n}/"'

        links = pager_links(page, pages, href, ("nav-prev", "Previous"), ("nav-next", "Next"))
        return '<div class="navigation">' + links + "</div>\n"

    def info(self, heading: str, message: str, title: str, path: str) -> Markup:
        """A page with just an information box, as DLE shows for errors and notices."""
        box = template("info").render({"heading": heading, "message": message})
        return self.layout(title=f"{title} - {SITE_NAME}", content=box, canonical=f"{REAL_HOME}{path}")

    def not_found(self) -> Page:
        return Page.from_markup(self.info(
            "Information",
            "Unfortunately, the requested page was not found. Perhaps it has been deleted or moved, or the address "
            f'was typed incorrectly. Go to the <a href="{self.home}/">main page</a> or use the search.',
            "Page not found",
            "/",
        ))  # fmt: skip

    def user(self, name: str) -> Page | None:
        user = self.content.users.get(name)
        if user is None:
            return None
        editor = user.articles > 0
        registered = 2011 + int(hashlib.sha1(name.encode()).hexdigest(), 16) % 9
        box = template("userinfo").render({
            "name": escape(name),
            "group": "Journalists" if editor else "Visitors",
            "registered": f"{registered}",
            "articles": str(user.articles),
            "comments": str(user.comments),
        })  # fmt: skip
        page = self.layout(title=f"User {name} - {SITE_NAME}", content=box, canonical=f"{REAL_HOME}{user_path(name)}")
        return Page.from_markup(page)

    def tag_listing(self, tag: str, page: int) -> Page | None:
        stories = self.content.by_tag.get(tag)
        if stories is None:
            return None
        return self.listing(stories, page, tag_path(tag), heading=f"Tag: {tag}")
