"""Where things are on an article page: the visible headline, the start of the text, and the header between.

Page furniture (navigation, breadcrumbs, sidebars, teaser lists, footers)
repeats dates and headings of *other* articles, so locality decides what
belongs to this one: the headline is the heading, outside the furniture,
that agrees with what the page's metadata calls its title (or, without
metadata, the last ``<h1>`` before the text; or, when the title's only
heading is below the text in a share box, the heading that opens the text
in words of its own); the *header* is what lies
between the headline and the first paragraph of the text (plus a little
before the headline: kickers and datelines sit above it on some sites).
That is where a byline date, a lede or a standfirst is looked for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lxml import etree

from crawler.pages.comment_vocabulary import element_tokens, is_comment_word, words_of

FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "form", "menu", "dialog"})
FURNITURE_WORDS = frozenset({
    "nav", "navigation", "navbar", "subnav", "menu", "breadcrumb", "breadcrumbs", "sidebar", "rail", "widget",
    "related", "recommended", "recommendation", "recommendations", "carousel", "slider",
    "promo", "newsletter", "advert", "advertisement", "sponsored", "social", "share", "sharing", "popular",
    "trending", "footer", "masthead", "cookie", "banner", "outbrain", "taboola", "toolbar", "topbar",
    "mostread", "ticker", "tabs", "thread", "forum", "discussion",
})
_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe"})
_NOT_TEXT = _SKIPPED | {"title"}  # the <title> may begin with the same words as the text's first heading
_HEADLINE_TAGS = ("h1", "h2")
_HEAD_TAGS = frozenset({"html", "title", "meta", "link", "base", "body"})
_BEFORE_HEADLINE = 12
_HEADER_LIMIT = 250
_WITHOUT_HEADLINE = 40
_WORDS = re.compile(r"\w+")
# Quotes and dashes that differ between a page's title sources ("Title" in one, “Title” in another).
_TITLE_PUNCTUATION = str.maketrans({
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u2018\u2019\u201a'", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015", "-"),
})


@dataclass
class Layout:
    """The page's visible headline, the element where the text starts, and the header elements between."""

    headline: etree._Element | None = None
    body_start: etree._Element | None = None
    header: list[etree._Element] = field(default_factory=list)
    #: The elements that hold the start of the text or the headline: never furniture, whatever their class says.
    article_path: frozenset[etree._Element] = frozenset()
    #: The headline words the title its own way, and the metadata's wording is repeated only below the text
    #: (a share box's heading): readers see the headline's wording, so it is the title.
    reworded: bool = False

    def in_furniture(self, element: etree._Element) -> bool:
        """Whether *element* is page furniture (see :func:`in_furniture`) rather than part of the article."""
        return in_furniture(element, self.article_path)


def title_key(title: str) -> str:
    """A title in the form two statements of it are compared in (case, quotes, dashes, edge punctuation)."""
    return unicodedata.normalize("NFKC", title).translate(_TITLE_PUNCTUATION).casefold().strip(" .:;-|")


def titles_agree(one: str, other: str) -> bool:
    """Whether two title keys state the same title: one contains the other."""
    return bool(one and other) and (one in other or other in one)


def titles_match(one: str, other: str) -> bool:
    """Whether two title keys agree and the shorter is at least half the longer (not a site name in a title)."""
    return titles_agree(one, other) and 2 * min(len(one), len(other)) >= max(len(one), len(other))


def locate(root: etree._Element, paragraphs: list[str], titles: list[str]) -> Layout:
    """The layout of the article whose text begins with *paragraphs* and whose metadata *titles* are given."""
    order: dict[etree._Element, int] = {}
    elements: list[etree._Element] = []
    for element in root.iter():
        if isinstance(element.tag, str):
            order[element] = len(elements)
            elements.append(element)
    body_start = _body_start(elements, paragraphs)
    path = frozenset((body_start, *body_start.iterancestors())) if body_start is not None else frozenset()
    headline, reworded = _headline(root, order, body_start, [title_key(title) for title in titles if title], path)
    if headline is not None:
        path |= frozenset(headline.iterancestors())  # the headline's column is the article's, however named
    return Layout(headline, body_start, _header(elements, order, headline, body_start, path), path, reworded)


def in_furniture(element: etree._Element, spared: frozenset[etree._Element] = frozenset()) -> bool:
    """Whether *element* sits in navigation, a sidebar, a teaser list, a footer or the like.

    Comment sections count as furniture here: their dates and headings are
    the readers'. Elements in *spared* (those that hold the article's text) are not
    furniture, whatever their class or id says: themes name odd things
    ``#sidebar``.
    """
    for ancestor in (element, *element.iterancestors()):
        if ancestor in spared:
            continue
        if ancestor.tag in FURNITURE_TAGS or ancestor.get("role") in ("navigation", "complementary"):
            return True
        if any(word in FURNITURE_WORDS or is_comment_word(word)
               for token in element_tokens(ancestor) for word in words_of(token)):
            return True
        if "Comment" in (ancestor.get("itemtype") or "") or "Comment" in (ancestor.get("typeof") or ""):
            return True
    return False


def text_of(element: etree._Element) -> str:
    """The element's visible text, whitespace collapsed (scripts and styles left out)."""
    parts = []
    for node in element.iter():
        if node.tag in _SKIPPED or not isinstance(node.tag, str):
            if node is not element and node.tail:
                parts.append(node.tail)
            continue
        if node.text:
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return " ".join(" ".join(parts).split())


def _body_start(elements: list[etree._Element], paragraphs: list[str]) -> etree._Element | None:
    """The element whose own text begins the article's first substantial paragraph."""
    for paragraph in [p for p in paragraphs if len(p) >= 40][:3]:
        needle = " ".join(paragraph.split())[:30]
        first_word = needle.split(" ", 1)[0]
        for element in elements:
            text = element.text
            if text and first_word in text and element.tag not in _NOT_TEXT and needle in " ".join(text.split()):
                return element
    return None


def _headline(
    root: etree._Element, order: dict[etree._Element, int], body_start: etree._Element | None, keys: list[str],
    spared: frozenset[etree._Element],
) -> tuple[etree._Element | None, bool]:
    """The heading that agrees with the metadata titles, outside furniture if one is; else the last ``<h1>``.

    A heading below the text that repeats the title (in a share box, a "more on this" list) is not the
    headline when a heading opens the text and words the same title its own way: that one is, and it
    comes back with True (the title is reworded).
    """
    candidates = [element for element in root.iter(*_HEADLINE_TAGS) if 4 <= len(text_of(element)) <= 400]
    candidates += [element for element in root.iterfind(".//*[@itemprop='headline']")
                   if element.tag != "meta" and element not in candidates and 4 <= len(text_of(element)) <= 400]
    candidates.sort(key=order.__getitem__)
    furniture = {element for element in candidates if in_furniture(element, spared)}
    agreeing = [element for element in candidates
                if any(titles_match(title_key(text_of(element)), key) for key in keys)]
    # A breadcrumb may repeat the title; the headline readers see is the one outside it, if there is one.
    outside = [element for element in agreeing if element not in furniture]
    if outside:
        return _nearest_before(outside, order, body_start), False
    if agreeing:
        below = body_start is not None and all(order[element] > order[body_start] for element in agreeing)
        opening = _opening_heading(candidates, furniture, order, body_start, keys) if below else None
        if opening is not None:
            return opening, True
        return _nearest_before(agreeing, order, body_start), False
    h1s = [element for element in candidates if element.tag == "h1" and element not in furniture]
    return (_nearest_before(h1s, order, body_start) if h1s else None), False


def _opening_heading(
    candidates: list[etree._Element], furniture: set[etree._Element], order: dict[etree._Element, int],
    body_start: etree._Element, keys: list[str],
) -> etree._Element | None:
    """The heading nearest above the text (or opening it) in the text's own column, if it words one of the titles."""
    column = set(body_start.iterancestors())
    above = [element for element in candidates if element not in furniture and order[element] <= order[body_start]
             and element.getparent() in column]
    for element in reversed(above):
        if any(_rewords(title_key(text_of(element)), key) for key in keys):
            return element
    return None


def _rewords(one: str, other: str) -> bool:
    """Whether title key *one* words the same title as *other*: it holds more than half of the other's words."""
    words, others = set(_WORDS.findall(one)), set(_WORDS.findall(other))
    return len(others) >= 3 and 2 * len(words & others) > len(others)


def _nearest_before(
    elements: list[etree._Element], order: dict[etree._Element, int], body_start: etree._Element | None
) -> etree._Element:
    if body_start is not None:
        before = [element for element in elements if order[element] < order[body_start]]
        if before:
            return before[-1]
    return elements[0]


def _header(
    elements: list[etree._Element], order: dict[etree._Element, int],
    headline: etree._Element | None, body_start: etree._Element | None, spared: frozenset[etree._Element],
) -> list[etree._Element]:
    """Elements from a little before the headline to the start of the text, furniture left out."""
    if headline is not None:
        start = max(0, order[headline] - _BEFORE_HEADLINE)
        end = order[body_start] if body_start is not None and order[body_start] > order[headline] else None
        if end is None or end - order[headline] > _HEADER_LIMIT:
            end = order[headline] + _WITHOUT_HEADLINE
        end = max(end, order[headline] + 1)
    elif body_start is not None:
        start, end = max(0, order[body_start] - _WITHOUT_HEADLINE), order[body_start]
    else:
        return []
    around = set(headline.iterancestors()) if headline is not None else set()
    if body_start is not None:
        around.update(body_start.iterancestors())
    return [element for element in elements[start:end] if element.tag not in _SKIPPED and element not in around
            and element.tag not in _HEAD_TAGS and not in_furniture(element, spared)]
