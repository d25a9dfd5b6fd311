"""An article's other comment pages, from the links on its pages.

WordPress pages its comments by thread (``…/slug/comment-page-2/``, or
``?cpage=2`` without pretty permalinks); other engines use the same two
shapes (see :func:`crawler.pages.evidence.comment_page_number`). One of the
pages has no number in its URL: the article's own URL shows the first page
when the others are newer (``oldest`` default) or the last one when they are
older (WordPress's ``newest`` default, which links the rest as "Older
comments"). Which one it is follows from the numbers the pages link to: if
no page links number 1, the article shows page 1; else it shows the page
after the highest linked one.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urldefrag, urljoin

from parsel import Selector

from crawler.domain.frontier import page_key
from crawler.pages.evidence import comment_page_number, without_comment_page


def comment_page_links(selector: Selector, base_url: str, article_url: str) -> dict[int, str]:
    """The comment pages of the article at *article_url* that a page links to, by number."""
    key = page_key(article_url)
    found: dict[int, str] = {}
    for href in selector.xpath("//a/@href").getall():
        url = urldefrag(urljoin(base_url, href.strip())).url
        number = comment_page_number(url)
        if number is not None and number >= 1 and page_key(without_comment_page(url)) == key:
            found.setdefault(number, url)
    return found


def article_page_number(linked: Iterable[int]) -> int:
    """Which comment page the article's own URL shows, given every page number linked (see the module docstring)."""
    numbers = set(linked)
    if not numbers or 1 not in numbers:
        return 1
    return max(numbers) + 1
