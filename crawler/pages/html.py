"""Reading text out of HTML the way a reader sees it, line and paragraph breaks included."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree, html
from parsel.csstranslator import css2xpath

# Elements that start and end a paragraph of text.
BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
# Elements whose content is never text a reader sees.
INVISIBLE_TAGS = frozenset("script style noscript template head title iframe object svg button select".split())

PARAGRAPH_BREAK = "\n\n"
LINE_BREAK = "\n"
_SOURCE_WHITESPACE = re.compile(r"[ \t\r\n\f]+")

ImageText = Callable[[html.HtmlElement], "str | None"]
Skip = Callable[[html.HtmlElement], bool]


def element_text(
    element: html.HtmlElement,
    *,
    skip: Skip | None = None,
    image_text: ImageText | None = None,
) -> str:
    """The visible text of *element*: ``<br>`` as a line break, block elements as paragraph breaks.

    Whitespace inside the HTML source (indentation, newlines) is only a word
    separator, as in a browser. Elements for which *skip* is true are left out
    with their content; an ``<img>`` contributes ``image_text(img)`` if given
    (e.g. a smiley's alt text). The result still needs
    :func:`crawler.normalize.clean_text` to collapse spaces and breaks.
    """
    parts: list[str] = []
    _append_text(element, parts, skip, image_text, is_root=True)
    return "".join(parts)


def _append_text(
    element: html.HtmlElement,
    parts: list[str],
    skip: Skip | None,
    image_text: ImageText | None,
    *,
    is_root: bool = False,
) -> None:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return
    if not is_root and (tag in INVISIBLE_TAGS or (skip is not None and skip(element))):
        return
    if tag == "br":
        parts.append(LINE_BREAK)
        return
    if tag == "img":
        if image_text is not None and (text := image_text(element)):
            parts.append(f" {text} ")
        return
    is_block = tag in BLOCK_TAGS
    if is_block:
        parts.append(PARAGRAPH_BREAK)
    if element.text:
        parts.append(_SOURCE_WHITESPACE.sub(" ", element.text))
    for child in element:
        _append_text(child, parts, skip, image_text)
        if child.tail:
            parts.append(_SOURCE_WHITESPACE.sub(" ", child.tail))
    if is_block:
        parts.append(PARAGRAPH_BREAK)


class Css:
    """A CSS selector (parsel's ``::text`` and ``::attr(name)`` included) compiled to XPath once.

    Profiles give selectors as CSS; a page class compiles them when it is built
    instead of on every call, as ``response.css()`` would.
    """

    def __init__(self, css: str):
        self.css = css
        self._xpath = etree.XPath(css2xpath(css))

    def __call__(self, root: etree._Element) -> list:
        """All matches under *root*: elements, or strings for ``::text`` and ``::attr()``."""
        return self._xpath(root)

    def first(self, root: etree._Element):
        found = self._xpath(root)
        return found[0] if found else None


def fragment_root(markup: str) -> html.HtmlElement:
    """Parse an HTML fragment (e.g. from a JSON answer) under one wrapping element."""
    return html.fragment_fromstring(markup or "", create_parent="div")


def node_text(element: etree._Element | None) -> str:
    """All text under *element* with source whitespace collapsed (for short fields like names)."""
    if element is None:
        return ""
    return _SOURCE_WHITESPACE.sub(" ", element.text_content() if hasattr(element, "text_content")
                                  else "".join(element.itertext())).strip()
