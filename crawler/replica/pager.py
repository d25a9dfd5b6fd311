"""Page links as DLE writes them: every page when there are few, else the ends and a window."""

from __future__ import annotations

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


def comment_pager(news_id: int, page: int, pages: int, next_label: str = "Next", prev_label: str = "Previous") -> str:
    """The ``pagination`` block of comment page *page*: links that call ``dle_comments_page``."""

    def call(n: int) -> str:
        return f"onclick=\"dle_comments_page('{n}', '{news_id}'); return false;\""

    items = []
    if page > 1:
        items.append(f'<a class="pprev" href="#" {call(page - 1)}>{prev_label}</a>')
    for n in page_numbers(page, pages):
        if n is None:
            items.append('<span class="nav_ext">...</span>')
        else:
            items.append(f"<span>{n}</span>" if n == page else f'<a href="#" {call(n)}>{n}</a>')
    if page < pages:
        items.append(f'<a class="pnext" href="#" {call(page + 1)}>{next_label}</a>')
    return '<div class="pagination">' + " ".join(items) + "</div>"
