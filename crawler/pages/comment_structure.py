"""Where a page's reader comments are: one element per comment, with its text elements and its parent.

Evidence, strongest first:

- **typed markup**: schema.org ``Comment`` microdata (``itemtype=".../Comment"``)
  and RDFa (``typeof="sioct:Comment"``, Drupal's), with their ``text`` /
  ``content:encoded`` properties;
- **the comment vocabulary** of :mod:`crawler.pages.comment_vocabulary` in
  classes and ids (``li.comment``, ``div.leserbrief``, ``#comment-id-5``,
  ``div.c-comment-card__text``, ``li#bb_message_7`` inside ``ul.thread``);
- **structure** inside a comment area or under a "Comments" heading:
  repeated siblings that each carry an author, a time and text.

A comment is the highest element around its text that holds no other
comment's text (stopping at list items, articles, typed items and numbered
ids, which is where comment systems draw the line). Replies are found the
way threads are drawn: a comment nested inside another's element (schema.org,
WordPress when the reply holds the parent's text), or inside a block that
follows another comment's element (WordPress ``ol.children``, Disqus
``ul.children``, DLE ``ol.comments-tree-list``, Drupal ``div.indented``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from crawler.pages.comment_marks import Marks, count_held, inside_any, mark_comments, short_text, untexted_items
from crawler.pages.comment_vocabulary import LINKBACK_WORDS

_STOPS = frozenset({"li", "article", "body", "main", "html"})
_MAX_CLIMB = 8
_MAX_OTHER_TEXT = 1500  # characters a comment section may hold besides its comments


@dataclass
class FoundComment:
    """One comment's element, the elements holding its words, and its place in the thread."""

    item: etree._Element
    texts: list[etree._Element] = field(default_factory=list)
    parent: int | None = None  # index of the parent in the list of found comments
    depth: int = 0
    typed: bool = False  # schema.org or RDFa markup says it is a comment


@dataclass
class CommentMarkup:
    """The comments of a page in page order, and the elements that hold comment sections (not the article)."""

    comments: list[FoundComment]
    sections: list[etree._Element]


def find_comments(root: etree._Element) -> CommentMarkup:
    """The comment elements under *root*, in page order."""
    marks = mark_comments(root)
    texts = _innermost(marks)
    held = count_held(texts)
    by_item: dict[etree._Element, list[etree._Element]] = {}
    for text in texts:
        by_item.setdefault(_climb(text, held, marks), []).append(text)
    holders = set(by_item)
    holding = {ancestor for item in holders for ancestor in item.iterancestors()}
    for scope in marks.typed:
        if scope not in holders and scope not in holding and not inside_any(scope, holders):
            by_item[scope] = []
    for item in untexted_items(marks, set(by_item)):
        by_item[item] = []
    order = {element: number for number, element in enumerate(root.iter())}
    typed = set(marks.typed)
    found = [FoundComment(item, texts, typed=item in typed)
             for item, texts in sorted(by_item.items(), key=lambda pair: order[pair[0]])]
    _link_replies(found)
    return CommentMarkup(found, _sections(root, found, marks))


def _innermost(marks: Marks) -> list[etree._Element]:
    """Text elements that hold no other text element (an outer ``comment-body`` also holds the author line).

    A "text" that holds several comment items is a wrapper of the whole section, not one comment's words.
    """
    holding = {ancestor for text in marks.texts for ancestor in text.iterancestors()}
    items_held = count_held([area for area in marks.areas if area not in marks.texts])
    return [text for text in marks.texts if text not in holding and items_held.get(text, 0) < 2
            and short_text(text, 400) and not any(ancestor.tag == "a" for ancestor in text.iterancestors())]


def _climb(text: etree._Element, held: dict[etree._Element, int], marks: Marks) -> etree._Element:
    """The comment around *text*: the highest ancestor holding no other comment's text."""
    current = text
    for _ in range(_MAX_CLIMB):
        if current in marks.stops or current.tag in _STOPS or current in marks.area_set:
            return current
        parent = current.getparent()
        if parent is None or parent.tag in ("body", "html", "main"):
            return current
        if parent in marks.stops:
            return parent  # a typed comment or a numbered one holds its replies' text too
        if held.get(parent, 0) > 1:
            return current
        current = parent
    return current


def _contains(outer: etree._Element, inner: etree._Element) -> bool:
    return any(ancestor is outer for ancestor in inner.iterancestors())


def _link_replies(found: list[FoundComment]) -> None:
    """Set each comment's parent: the latest earlier comment whose element holds it or whose next siblings do.

    The next siblings are those of the comment's element and of the wrappers around it that hold no
    other comment (DLE's ``div#comment-id-N`` around the comment, with the replies' list after it).
    """
    position = {comment.item: number for number, comment in enumerate(found)}
    held = count_held([comment.item for comment in found])
    followers: dict[etree._Element, int] = {}
    for number, comment in enumerate(found):
        own = held.get(comment.item, 0)
        element = comment.item
        while element is not None and element.tag not in ("body", "html"):
            for sibling in element.itersiblings():
                if sibling in position or _alike(sibling, element):
                    break  # the next comment at the same level: what follows is its own
                if isinstance(sibling.tag, str):
                    followers.setdefault(sibling, number)
                    followers[sibling] = max(followers[sibling], number)
            element = element.getparent()
            if element is None or held.get(element, 0) != own + 1:
                break  # this wrapper also holds other comments
    for number, comment in enumerate(found):
        for ancestor in comment.item.iterancestors():
            parent = position.get(ancestor)
            if parent is None:
                parent = followers.get(ancestor)
            if parent is not None and parent < number:
                comment.parent = parent
                comment.depth = found[parent].depth + 1
                break


def _alike(one: etree._Element, other: etree._Element) -> bool:
    return one.tag == other.tag and _kind(one) == _kind(other)


def _kind(element: etree._Element) -> str | None:
    """The element's first class; WordPress writes the comment's type there, and a pingback is a comment's peer."""
    first = next(iter((element.get("class") or "").split()), None)
    return "comment" if first in LINKBACK_WORDS else first


def _sections(root: etree._Element, found: list[FoundComment], marks: Marks) -> list[etree._Element]:
    """The outermost comment areas that hold found comments, or the comments themselves: not the article.

    An area is taken only while what it holds besides comments is small (a heading, a form, a policy
    note): a theme that names its content column "comments" loses no article text for it.
    """
    headline_holders = {ancestor for h1 in root.iter("h1") for ancestor in h1.iterancestors()}
    comment_text = _count_text([comment.item for comment in found])
    small: dict[etree._Element, bool] = {}  # area -> what it holds besides comments is small

    def mostly_comments(area: etree._Element) -> bool:
        if area not in small:
            own = comment_text.get(area, 0)
            small[area] = len(short_text(area, own + _MAX_OTHER_TEXT + 1)) - own <= _MAX_OTHER_TEXT
        return small[area]

    sections: list[etree._Element] = []
    for comment in found:
        outer = comment.item
        for ancestor in comment.item.iterancestors():
            if ancestor.tag in ("body", "html", "main") or ancestor in headline_holders:
                break
            if ancestor in marks.area_set:
                if not mostly_comments(ancestor):
                    break
                outer = ancestor
        if not any(outer is section or _contains(section, outer) for section in sections):
            sections = [section for section in sections if not _contains(outer, section)] + [outer]
    return sections


def _count_text(items: list[etree._Element]) -> dict[etree._Element, int]:
    """For every ancestor of *items*, the length of the comments' text it holds."""
    counts: dict[etree._Element, int] = {}
    for item in items:
        size = len(short_text(item, 100_000))
        for ancestor in item.iterancestors():
            counts[ancestor] = counts.get(ancestor, 0) + size
    return counts
