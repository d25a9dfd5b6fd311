"""Reading text out of HTML the way a reader sees it, line and paragraph breaks included.

Also the one way pages are parsed into element trees (:func:`parse_html`,
:func:`parse_fragment`): plain lxml elements, as parsel parses a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree, html
from parsel.selector import create_root_node

# Elements that start and end a paragraph of text.
BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
# Elements whose content is never text a reader sees.
INVISIBLE_TAGS = frozenset("script style noscript template head title iframe object svg button select".split())

PARAGRAPH_BREAK = "\n\n"
LINE_BREAK = "\n"
# Runs of source whitespace that are not already one space.
_SOURCE_WHITESPACE = re.compile(r"[\t\r\n\f][ \t\r\n\f]*| [ \t\r\n\f]+")
# lxml.html's parser without its element classes (see parse_html).
_PLAIN_HTML_PARSER = etree.HTMLParser()

ImageText = Callable[[etree._Element], "str | None"]
Skip = Callable[[etree._Element], bool]


def element_text(
    element: etree._Element,
    *,
    skip: Skip | None = None,
    image_text: ImageText | None = None,
) -> str:
    """The visible text of *element*: ``<br>`` as a line break, block elements as paragraph breaks.

    Whitespace inside the HTML source (indentation, newlines) is only a word
    separator, as in a browser. Elements for which *skip* is true are left out
    with their content; an ``<img>`` contributes ``image_text(img)`` if given
    (e.g. a smiley's alt text). The result still needs
    :func:`crawler.domain.normalize.clean_text` to collapse spaces and breaks.
    """
    parts: list[str] = []
    _append_text(element, parts, skip, image_text, is_root=True)
    return "".join(parts)


def _append_text(
    element: etree._Element,
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
        parts.append(_collapse_whitespace(element.text))
    for child in element:
        _append_text(child, parts, skip, image_text)
        if child.tail:
            parts.append(_collapse_whitespace(child.tail))
    if is_block:
        parts.append(PARAGRAPH_BREAK)


def parse_html(text: str) -> etree._Element:
    """The root element of an HTML page, parsed as parsel parses it, in plain lxml elements.

    The same parser settings as ``response.selector`` (parsel's), so the same
    tree; only lxml.html's element classes are left out: page classes use none
    of their methods, and they make every element Python touches several times
    dearer.
    """
    return create_root_node(text, etree.HTMLParser)


def parse_fragment(markup: str) -> etree._Element:
    """Parse an HTML fragment (e.g. from a JSON answer) under one wrapping ``div``.

    As lxml.html's ``fragment_fromstring(markup, create_parent="div")``, in plain lxml elements.
    """
    parts = html.fragments_fromstring(markup or "", parser=_PLAIN_HTML_PARSER)
    root = etree.Element("div")
    if parts and isinstance(parts[0], str):
        root.text = parts.pop(0)
    root.extend(parts)
    return root


def node_text(element: etree._Element | None) -> str:
    """All text under *element* with source whitespace collapsed (for short fields like names)."""
    if element is None:
        return ""
    if type(element) is not etree._Element and hasattr(element, "text_content"):  # lxml.html's
        text = element.text_content()
    else:
        text = "".join(element.itertext()) if len(element) else element.text or ""
    return _collapse_whitespace(text).strip()


def _collapse_whitespace(text: str) -> str:
    """Each run of source whitespace as one space (most text has none to collapse: checked first, cheaply)."""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text or "\f" in text:
        return _SOURCE_WHITESPACE.sub(" ", text)
    return text


