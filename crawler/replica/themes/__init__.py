"""The replica's themes: one site's data, marked up as different DataLife Engine templates do.

A theme renders every HTML page and the AJAX comment answer of one host
(:class:`Theme`); :func:`make_theme` picks it from a resolved
:class:`~crawler.replica.variant.Variant`. ``military`` is the replica's
original theme (:mod:`crawler.replica.themes.military`); the others are engine
themes (:mod:`crawler.replica.themes.engine`) that differ only in their
``.tpl`` files and a few settings (:mod:`crawler.replica.themes.spec`).
"""

from __future__ import annotations

from typing import Protocol

from crawler.replica.content import SiteContent
from crawler.replica.model import Article
from crawler.replica.prose import Prose
from crawler.replica.templates import Page
from crawler.replica.themes.engine import EngineTheme
from crawler.replica.themes.military import MilitaryTheme
from crawler.replica.themes.spec import SPECS
from crawler.replica.variant import Variant


class Theme(Protocol):
    """What the router asks of a theme."""

    home: str
    paged_links: bool  # whether /page,1,N,ID-slug.html shows comment page N

    def listing(self, stories: list[Article], page: int, base: str, heading: str | None = None) -> Page | None: ...
    def tag_listing(self, tag: str, page: int) -> Page | None: ...
    def user(self, name: str) -> Page | None: ...
    def not_found(self) -> Page: ...
    def info_page(self, heading: str, message: str, title: str, path: str) -> Page: ...
    def search(self, query: str, found: list[Article]) -> Page: ...
    def article(self, article: Article, comment_page: int = 1) -> Page | None: ...
    def comments_json(self, article: Article, page: int, massact: bool) -> Page: ...
    def unknown_story(self) -> tuple[bytes, str]: ...


def make_theme(variant: Variant, content: SiteContent, prose: Prose, host: str) -> Theme:
    """The pages of *content* for *host* in the theme *variant* names (resolved)."""
    if variant.theme == "military":
        return MilitaryTheme(content, prose, host)
    return EngineTheme(SPECS[variant.theme], variant, content, prose, host)  # type: ignore[index]
