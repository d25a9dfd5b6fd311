"""The article's main text as paragraphs, by trafilatura.

trafilatura is the field's standard for telling an article's text from page
furniture; it returns its result as a small XML tree (``p``, ``head``,
``list/item``, ``quote``, ``table/row/cell``, ``lb`` for a line break). We
walk that tree ourselves because its plain-text output writes paragraph and
line breaks alike as one newline, and our schema separates paragraphs with a
blank line.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from lxml import etree, html

logger = logging.getLogger(__name__)

# trafilatura elements that hold other blocks rather than text of their own.
_CONTAINERS = frozenset({"body", "div", "list", "table", "quote", "figure"})
_BLOCKS = frozenset({"p", "head", "item", "quote", "code", "row", "cell", "list", "table", "figure"})
_SPACES = re.compile(r"[^\S\n]+")
_AROUND_NEWLINE = re.compile(r" *\n *")


@dataclass
class MainText:
    """What trafilatura made of a page: text blocks, and its metadata where it found some."""

    paragraphs: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # each paragraph's trafilatura element: p, head, item, row…
    title: str | None = None
    author: str | None = None
    date: str | None = None
    tags: list[str] = field(default_factory=list)


def extract_main_text(markup: str | html.HtmlElement, url: str) -> MainText:
    """Run trafilatura on *markup* (text, or a parsed page it may change) and read its result.

    Comments are read elsewhere; pass a page without its comment sections.

    ``favor_precision`` because on the real-page benchmark
    (``benchmarks/realworld_extraction.py``) it keeps more boilerplate out while
    losing only a credit line or two of article text.
    """
    # Imported here: every crawl loads every spider's module, and most crawls never extract a generic page
    # (trafilatura and what it loads take about 0.1 s to import).
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False, favor_precision=True
        )
    except (ValueError, TypeError, etree.LxmlError) as e:
        # trafilatura catches most parser trouble itself; what escapes means "no text found".
        logger.debug("trafilatura failed on %s: %r", url, e)
        document = None
    if document is None:
        return MainText()
    kinds: list[str] = []
    return MainText(
        paragraphs=paragraphs(document.body, kinds),
        kinds=kinds,
        title=document.title or None,
        author=document.author or None,
        date=document.date or None,
        tags=[tag for tag in document.tags or [] if tag.strip()],
    )


def paragraphs(tree: etree._Element | None, kinds: list[str] | None = None) -> list[str]:
    """The text blocks of a trafilatura result tree in reading order, each with inner line breaks.

    The element each block came from (``p``, ``head``, ``item``…) is appended to *kinds* if given.
    """
    if tree is None:
        return []
    found: list[str] = []
    _collect(tree, found, kinds if kinds is not None else [])
    return found


def _collect(element: etree._Element, found: list[str], kinds: list[str]) -> None:
    has_blocks = any(child.tag in _BLOCKS for child in element)
    if element.tag in _CONTAINERS and has_blocks or element.tag == "body":
        if element.tag != "body" and (lead := _tidy(element.text or "")):
            found.append(lead)
            kinds.append(element.tag)
        for child in element:
            _collect(child, found, kinds)
            if child.tail and (tail := _tidy(child.tail)):
                found.append(tail)
                kinds.append(element.tag)
        return
    if element.tag == "row":
        text = " | ".join(filter(None, (_tidy(_inline_text(cell)) for cell in element)))
    else:
        text = _tidy(_inline_text(element))
    if text:
        found.append(text)
        kinds.append(element.tag)


def _inline_text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _tidy(text: str) -> str:
    return _AROUND_NEWLINE.sub("\n", _SPACES.sub(" ", text)).strip()
