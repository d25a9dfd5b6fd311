"""The replica's own theme ("Military"), as it always was: the pages of :mod:`crawler.replica.render`,
:mod:`crawler.replica.story` and :mod:`crawler.replica.discussion` behind the theme interface."""

from __future__ import annotations

from crawler.replica.content import SiteContent
from crawler.replica.controller import NOT_FOUND_JSON
from crawler.replica.model import REAL_HOME, SITE_NAME, Article
from crawler.replica.prose import Prose
from crawler.replica.render import Renderer
from crawler.replica.story import article_page
from crawler.replica.templates import Page, escape, join


class MilitaryTheme:
    """One host's pages in the default theme."""

    paged_links = False  # comment pages exist only as AJAX answers

    def __init__(self, content: SiteContent, prose: Prose, host: str) -> None:
        self.renderer = Renderer(content, prose, host)
        self.home = self.renderer.home

    def listing(self, stories: list[Article], page: int, base: str, heading: str | None = None) -> Page | None:
        return self.renderer.listing(stories, page, base, heading)

    def tag_listing(self, tag: str, page: int) -> Page | None:
        return self.renderer.tag_listing(tag, page)

    def user(self, name: str) -> Page | None:
        return self.renderer.user(name)

    def not_found(self) -> Page:
        return self.renderer.not_found()

    def info_page(self, heading: str, message: str, title: str, path: str) -> Page:
        return Page.from_markup(self.renderer.info(heading, message, title, path))

    def search(self, query: str, found: list[Article]) -> Page:
        heading = f"Search results for &laquo;{escape(query)}&raquo;: {len(found)}"
        content = join([f'<div class="berrors">{heading}</div>\n', *(self.renderer.short_story(a) for a in found)])
        return Page.from_markup(self.renderer.layout(title=f"Search - {SITE_NAME}", content=content,
                                                     canonical=f"{REAL_HOME}/"))  # fmt: skip

    def article(self, article: Article, comment_page: int = 1) -> Page | None:
        return article_page(self.renderer, article) if comment_page == 1 else None

    def comments_json(self, article: Article, page: int, massact: bool) -> Page:
        return self.renderer.discussion.json_page(article, page)

    def unknown_story(self) -> tuple[bytes, str]:
        return NOT_FOUND_JSON.encode(), "application/json; charset=utf-8"
