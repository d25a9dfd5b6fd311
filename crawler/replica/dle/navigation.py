"""DLE's pagers: ``build_navigation`` for comment pages and the listing pager, into a theme's ``navigation.tpl``.

The comment pager is ``DLE_Comments::build_navigation`` of DLE 13.3/14 with
friendly URLs and AJAX comments on: every page link is ``<a
href="/page,1,N,ID-slug.html#comment" onclick="CommentsPage('N', 'ID',
'/page,1,N,ID-slug.html#comment'); return false;">N</a>`` (page 1 links
the story itself), the current page is ``<span>N</span>``, more than ten
pages are windowed with ``<span class="nav_ext">...</span>``. Its
"next" link keeps a slip of the engine: the link is set from the absolute
friendly URL *before* its ``onclick`` is built, so it carries the ``onclick``
left over from the last page link written (it names the *last* page), and an
absolute ``href`` to the next page. ``stale_next=False`` writes it as a fixed
engine would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from crawler.replica.templates import Template

ALL_PAGES_UP_TO = 10
GAP = '<span class="nav_ext">...</span> '


@dataclass(frozen=True)
class Pager:
    """A theme's ``navigation.tpl`` (``{prev}``, ``{pages}``, ``{next}``, labels) and what its prev/next links hold."""

    template: Template
    prev_inner: str
    next_inner: str
    labels: Mapping[str, str]

    def render(self, prev: str, pages: str, next_: str) -> str:
        return "".join(self.template.render({**self.labels, "prev": prev, "pages": pages, "next": next_}))


def _window(page: int, pages: int) -> tuple[int, int]:
    start, end = 1, ALL_PAGES_UP_TO
    if page > 6:
        start, end = page - 4, page + 4
        if end >= pages - 1:
            start, end = pages - 9, pages - 1
    return start, end


def listing_pager(pager: Pager, page: int, pages: int, url: Callable[[int], str]) -> str:
    """The pager of listing page *page* of *pages*; *url(n)* is page n's address."""
    prev = f'<a href="{url(page - 1)}">{pager.prev_inner}</a>' if page > 1 else f"<span>{pager.prev_inner}</span>"
    nxt = f'<a href="{url(page + 1)}">{pager.next_inner}</a>' if page < pages else f"<span>{pager.next_inner}</span>"

    def item(j: int) -> str:
        return f"<span>{j}</span> " if j == page else f'<a href="{url(j)}">{j}</a> '

    if pages <= ALL_PAGES_UP_TO:
        links = "".join(item(j) for j in range(1, pages + 1))
    else:
        start, end = _window(page, pages)
        links = ""
        if start >= 2:
            links += item(1) + (GAP if start >= 3 else "")
        links += "".join(item(j) for j in range(start, end + 1))
        gap = "" if end >= pages - 1 else GAP
        links += f"{gap}<a href=\"{url(pages)}\">{pages}</a>" if page != pages else f"<span>{pages}</span> "
    return pager.render(prev, links, nxt)


def comment_pager(pager: Pager, news_id: int, page: int, pages: int, home: str, story_path: str,
                  *, stale_next: bool = True) -> str:
    """``build_navigation`` for comment page *page* of *pages* of the story at *story_path*."""
    slash = story_path.rfind("/")
    folder, name = story_path[:slash], story_path[slash + 1 : -len(".html")]

    def absolute(j: int) -> str:
        return f"{home}{story_path}#comment" if j == 1 else f"{home}{folder}/page,1,{j},{name}.html#comment"

    def relative(j: int) -> str:
        return absolute(j).replace(f"{home}/", "/", 1)

    def onclick(j: int) -> str:
        return f" onclick=\"CommentsPage('{j}', '{news_id}', '{relative(j)}'); return false;\""

    last_onclick = ""  # PHP's $go_page: whatever the last link written set

    def link(j: int) -> str:
        nonlocal last_onclick
        if j == page:
            return f"<span>{j}</span> "
        last_onclick = onclick(j)
        return f'<a href="{relative(j)}"{last_onclick}>{j}</a> '

    if page > 1:
        last_onclick = onclick(page - 1)
        prev = f'<a href="{relative(page - 1)}"{last_onclick}>{pager.prev_inner}</a>'
    else:
        prev = f"<span>{pager.prev_inner}</span>"
    if pages <= ALL_PAGES_UP_TO:
        links = "".join(link(j) for j in range(1, pages + 1))
    else:
        start, end = _window(page, pages)
        links = ""
        if start >= 2:
            links += link(1) + (GAP if start >= 3 else "")
        links += "".join(link(j) for j in range(start, end + 1))
        gap = "" if end >= pages - 1 else GAP
        links += gap + link(pages).rstrip(" ") if page != pages else f"<span>{pages}</span> "
    if page >= pages:
        nxt = f"<span>{pager.next_inner}</span>"
    elif stale_next:
        nxt = f'<a href="{absolute(page + 1)}"{last_onclick}>{pager.next_inner}</a>'
    else:
        nxt = f'<a href="{relative(page + 1)}"{onclick(page + 1)}>{pager.next_inner}</a>'
    return pager.render(prev, links, nxt)
