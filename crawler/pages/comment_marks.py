"""Marking a page for comments: which elements are comment areas, texts and typed comments, in one walk.

The roles come from :mod:`crawler.pages.comment_vocabulary` (classes and ids),
from typed markup (schema.org ``Comment`` microdata, RDFa ``sioct:Comment``
with their ``text`` / ``content:encoded`` properties), and from headings that
open a comment section ("Comments", "12 Kommentare", "Leserbriefe"). Where a
comment area holds no element named as a comment's text, its comments are
found by structure: repeated alike siblings, each with words of its own that
are not mostly links, beside an author or a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from crawler.pages.comment_vocabulary import PROFILE_URL, RELATIVE_TIME, Role, element_role, is_thread, part_role
from crawler.pages.visible_dates import find_date

NOT_CONTENT = frozenset({"form", "textarea", "template", "script", "noscript", "style", "button", "select",
                         "nav", "svg", "input", "iframe", "head"})
# Headings that open a comment section: "Comments", "12 Kommentare", "Leserbriefe (3)", "Réactions"…
_COMMENTS_HEADING = re.compile(
    r"^\W*(?:\d+\s*)?(?:comments?|kommentare?|leserkommentare?|leserbriefe?|leserstimmen|reactions?|réactions?|"
    r"reacties|commenti|commentaires?|comentarios?|comentários?|komentarze?|комментари[йия]|коментар(?:і|ів)?|"
    r"reader comments|discussion|diskussion|discussione)\b",
    re.IGNORECASE,
)
_HEADINGS = frozenset({"h2", "h3", "h4", "h5"})
_TYPED_COMMENT = re.compile(r"(?:^|[\s/:#])(?:Comment|UserComments|sioct:Comment)(?:\s|$)")
_TEXT_PROPERTIES = frozenset({"text", "commenttext", "content:encoded", "sioc:content", "schema:text"})
HAS_NUMBER = re.compile(r"\d")
_MIN_TEXT = 2


@dataclass
class Marks:
    """What one walk found: text elements, typed comments, comment areas, and where climbing must stop."""

    texts: list[etree._Element] = field(default_factory=list)
    typed: list[etree._Element] = field(default_factory=list)
    areas: list[etree._Element] = field(default_factory=list)
    area_set: set[etree._Element] = field(default_factory=set)
    stops: set[etree._Element] = field(default_factory=set)


def mark_comments(root: etree._Element) -> Marks:
    """One walk over the page: every element's comment role, skipping what is never content."""
    marks = Marks()
    stack: list[tuple[etree._Element, bool, bool]] = [(root, False, False)]  # element, in an area, in a typed item
    while stack:
        element, in_area, in_typed = stack.pop()
        tag = element.tag
        if not isinstance(tag, str) or tag in NOT_CONTENT:
            continue
        typed = _is_typed_comment(element)
        role = element_role(element, weak=in_area)
        if role is None and in_area and part_role(element) is Role.TEXT:
            role = Role.TEXT
        if typed or role is Role.AREA or (is_thread(element) and tag in ("ul", "ol", "div", "section")):
            marks.areas.append(element)
            marks.area_set.add(element)
        if typed:
            marks.typed.append(element)
            marks.stops.add(element)
        elif role is Role.TEXT or (in_typed and _is_text_property(element)):
            marks.texts.append(element)
        elif role is Role.OTHER:
            continue  # forms, counters, buttons: nothing inside is a comment
        if role is Role.AREA and HAS_NUMBER.search(element.get("id") or ""):
            marks.stops.add(element)
        inside = in_area or element in marks.area_set
        after_heading = False
        children = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if after_heading and child.tag not in _HEADINGS and child not in marks.area_set:
                marks.areas.append(child)  # what follows a "Comments" heading is the comment section
                marks.area_set.add(child)
            if child.tag in _HEADINGS:
                after_heading = bool(_COMMENTS_HEADING.match(short_text(child)))
            children.append(child)
        for child in reversed(children):
            stack.append((child, inside, in_typed or typed))
    return marks


def _is_typed_comment(element: etree._Element) -> bool:
    kind = element.get("itemtype") or element.get("typeof")
    if not kind:
        return False
    return any(_TYPED_COMMENT.search(" " + part.rsplit("/", 1)[-1] + " ") or part.endswith(":Comment")
               for part in kind.split())


def _is_text_property(element: etree._Element) -> bool:
    names = f"{element.get('itemprop') or ''} {element.get('property') or ''}".lower().split()
    return any(name in _TEXT_PROPERTIES for name in names)


def untexted_items(marks: Marks, holders: set[etree._Element]) -> list[etree._Element]:
    """Comments with no text element: repeated siblings in a comment area, or an area that is one comment.

    Areas are looked at outermost first: an area whose children (or a list inside it) repeat alike
    comment-looking elements holds those comments; an area that does not, but looks like a comment
    itself (text, and an author or a time), is one.
    """
    taken = {ancestor for holder in holders for ancestor in holder.iterancestors()} | holders
    items: list[etree._Element] = []
    claimed: set[etree._Element] = set()
    for area in marks.areas:
        if area in taken or area in claimed or area in marks.typed or inside_any(area, holders | claimed):
            continue
        if not short_text(area):
            continue
        group = _repeated_items(area)
        if group:
            items.extend(group)
            claimed.update(group)
            claimed.add(area)
        elif _looks_like_comment(area):
            items.append(area)
            claimed.add(area)
    return items


def inside_any(element: etree._Element, holders: set[etree._Element]) -> bool:
    return any(ancestor in holders for ancestor in element.iterancestors())


def _repeated_items(area: etree._Element) -> list[etree._Element]:
    """The largest group of alike children (same tag and class) of *area* or a descendant that look like comments."""
    best: list[etree._Element] = []
    for container in area.iter():
        if not isinstance(container.tag, str) or container.tag in NOT_CONTENT:
            continue
        groups: dict[tuple[str, str], list[etree._Element]] = {}
        for child in container:
            if isinstance(child.tag, str):
                groups.setdefault((child.tag, _signature(child)), []).append(child)
        for group in groups.values():
            if len(group) >= 2 and len(group) > len(best) and all(map(_looks_like_comment, group)):
                best = group
    return best


def _signature(element: etree._Element) -> str:
    # Classes that say which one it is (even/odd, depth-2, thread-alt) are not what makes siblings alike.
    tokens = (element.get("class") or "").split()
    return " ".join(sorted(t for t in tokens if not HAS_NUMBER.search(t) and t not in ("even", "odd", "alt")))


def _looks_like_comment(element: etree._Element) -> bool:
    """Words of its own that are not mostly links, and an author or a time beside them."""
    text = short_text(element, 2000)
    if len(text) < _MIN_TEXT:
        return False
    linked = sum(len(" ".join(a.itertext()).strip()) for a in element.iter("a"))
    if linked * 2 > len(text):
        return False
    if any(heading.tag in ("h1", "h2") for heading in element.iter("h1", "h2")):
        return False
    has_author = has_time = False
    for part in element.iter():
        if not isinstance(part.tag, str):
            continue
        if part.tag == "time" or part.get("itemprop") in ("dateCreated", "datePublished"):
            has_time = True
        elif part.get("itemprop") == "author" or part.tag == "cite":
            has_author = True
        else:
            role = part_role(part) if part is not element else None
            has_author = has_author or role is Role.AUTHOR
            has_time = has_time or role is Role.TIME
        if has_author and has_time:
            return True
    if not has_author:
        # A name in bold opening the comment, or a link to the commenter's profile.
        first = next((child for child in element if isinstance(child.tag, str)), None)
        has_author = (first is not None and first.tag in ("b", "strong") and 0 < len(short_text(first, 80)) < 80) \
            or any(PROFILE_URL.search(link.get("href") or "") for link in element.iter("a"))
    if not has_time:
        # A date or "2 hours ago" printed in the comment's opening line.
        opening = text[:120]
        has_time = find_date(opening) is not None or bool(RELATIVE_TIME.search(opening))
    return has_author or has_time


def count_held(elements: list[etree._Element]) -> dict[etree._Element, int]:
    """For every ancestor of *elements*, how many of them it holds."""
    counts: dict[etree._Element, int] = {}
    for element in elements:
        for ancestor in element.iterancestors():
            counts[ancestor] = counts.get(ancestor, 0) + 1
    return counts


def short_text(element: etree._Element, limit: int = 200) -> str:
    """The start of the element's visible text, whitespace collapsed (enough to test, cheap to get)."""
    parts: list[str] = []
    size = 0
    for piece in element.itertext():
        parts.append(piece)
        size += len(piece)
        if size > limit:
            break
    return " ".join("".join(parts).split())[:limit]
