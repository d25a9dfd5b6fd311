"""Page links as DLE writes them: every page when there are few, else the ends and a window."""

from __future__ import annotations

from collections.abc import Callable

ALL_PAGES_UP_TO = 10


def page_numbers(page: int, pages: int) -> list[int | None]:
    """The page numbers a pager shows on *page* of *pages*; None marks a gap ("...")."""
    if pages <= ALL_PAGES_UP_TO:
        return list(range(1, pages + 1))
    shown = sorted({1, 2, pages - 1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    numbers: list[int | None] = []
    previous = 0
    for n in shown:
        if n - previous > 1:
            numbers.append(None)
        numbers.append(n)
        previous = n
    return numbers


def pager_links(page: int, pages: int, link: Callable[[int], str], prev: tuple[str, str],
                next_: tuple[str, str]) -> str:
    """The links of a pager on *page* of *pages*, space-separated: previous, the numbers, next.

    *link(n)* gives the attributes of a link to page *n*; *prev* and *next_* are (class, label).
    """
    items = []
    if page > 1:
        items.append(f'<a class="{prev[0]}" {link(page - 1)}>{prev[1]}</a>')
    for n in page_numbers(page, pages):
        if n is None:
            items.append('<span class="nav_ext">...</span>')
        else:
            items.append(f"<span>{n}</span>" if n == page else f"<a {link(n)}>{n}</a>")
    if page < pages:
        items.append(f'<a class="{next_[0]}" {link(page + 1)}>{next_[1]}</a>')
    return " ".join(items)


def comment_pager(news_id: int, page: int, pages: int, next_label: str = "Next", prev_label: str = "Previous") -> str:
    """The ``pagination`` block of comment page *page*: links that call ``dle_comments_page``."""

    def call(n: int) -> str:
        return f"href=\"#\" onclick=\"dle_comments_page('{n}', '{news_id}'); return false;\""

    links = pager_links(page, pages, call, ("pprev", prev_label), ("pnext", next_label))
    return '<div class="pagination">' + links + "</div>"
