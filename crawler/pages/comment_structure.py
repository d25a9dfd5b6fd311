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

import re
from dataclasses import dataclass, field

from lxml import etree

from crawler.pages.comment_vocabulary import Role, element_role, is_thread, part_role

# Elements whose content is never a comment's text.
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
_STOPS = frozenset({"li", "article", "body", "main", "html"})
_HAS_NUMBER = re.compile(r"\d")
_MAX_CLIMB = 8
_MAX_OTHER_TEXT = 1500  # characters a comment section may hold besides its comments
_MIN_TEXT = 2


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
    marks = _mark(root)
    texts = _innermost(marks)
    held = _count_held(texts)
    by_item: dict[etree._Element, list[etree._Element]] = {}
    for text in texts:
        by_item.setdefault(_climb(text, held, marks), []).append(text)
    holders = set(by_item)
    holding = {ancestor for item in holders for ancestor in item.iterancestors()}
    for scope in marks.typed:
        if scope not in holders and scope not in holding and not _inside_any(scope, holders):
            by_item[scope] = []
    for item in _untexted_items(marks, set(by_item)):
        by_item[item] = []
    order = {element: number for number, element in enumerate(root.iter())}
    typed = set(marks.typed)
    found = [FoundComment(item, texts, typed=item in typed)
             for item, texts in sorted(by_item.items(), key=lambda pair: order[pair[0]])]
    _link_replies(found)
    return CommentMarkup(found, _sections(root, found, marks))


@dataclass
class _Marks:
    texts: list[etree._Element] = field(default_factory=list)
    typed: list[etree._Element] = field(default_factory=list)
    areas: list[etree._Element] = field(default_factory=list)
    area_set: set[etree._Element] = field(default_factory=set)
    stops: set[etree._Element] = field(default_factory=set)


def _mark(root: etree._Element) -> _Marks:
    """One walk over the page: every element's comment role, skipping what is never content."""
    marks = _Marks()
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
        if role is Role.AREA and _HAS_NUMBER.search(element.get("id") or ""):
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
                after_heading = bool(_COMMENTS_HEADING.match(_short_text(child)))
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


def _innermost(marks: _Marks) -> list[etree._Element]:
    """Text elements that hold no other text element (an outer ``comment-body`` also holds the author line).

    A "text" that holds several comment items is a wrapper of the whole section, not one comment's words.
    """
    holding = {ancestor for text in marks.texts for ancestor in text.iterancestors()}
    items_held = _count_held([area for area in marks.areas if area not in marks.texts])
    return [text for text in marks.texts if text not in holding and items_held.get(text, 0) < 2
            and _short_text(text, 400) and not any(ancestor.tag == "a" for ancestor in text.iterancestors())]


def _count_held(elements: list[etree._Element]) -> dict[etree._Element, int]:
    """For every ancestor of *elements*, how many of them it holds."""
    counts: dict[etree._Element, int] = {}
    for element in elements:
        for ancestor in element.iterancestors():
            counts[ancestor] = counts.get(ancestor, 0) + 1
    return counts


def _climb(text: etree._Element, held: dict[etree._Element, int], marks: _Marks) -> etree._Element:
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


def _untexted_items(marks: _Marks, holders: set[etree._Element]) -> list[etree._Element]:
    """Comments with no text element: repeated siblings in a comment area, or an area that is one comment.

    Areas are looked at outermost first: an area whose children (or a list inside it) repeat alike
    comment-looking elements holds those comments; an area that does not, but looks like a comment
    itself (text, and an author or a time), is one.
    """
    taken = {ancestor for holder in holders for ancestor in holder.iterancestors()} | holders
    items: list[etree._Element] = []
    claimed: set[etree._Element] = set()
    for area in marks.areas:
        if area in taken or area in claimed or area in marks.typed or _inside_any(area, holders | claimed):
            continue
        if not _short_text(area):
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


def _inside_any(element: etree._Element, holders: set[etree._Element]) -> bool:
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
    return " ".join(sorted(t for t in tokens if not _HAS_NUMBER.search(t) and t not in ("even", "odd", "alt")))


def _looks_like_comment(element: etree._Element) -> bool:
    """Words of its own that are not mostly links, and an author or a time beside them."""
    text = _short_text(element, 2000)
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
    return has_author or has_time


def _link_replies(found: list[FoundComment]) -> None:
    """Set each comment's parent: the latest earlier comment whose element holds it or whose next siblings do.

    The next siblings are those of the comment's element and of the wrappers around it that hold no
    other comment (DLE's ``div#comment-id-N`` around the comment, with the replies' list after it).
    """
    position = {comment.item: number for number, comment in enumerate(found)}
    held = _count_held([comment.item for comment in found])
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
    return one.tag == other.tag and (one.get("class") or "").split()[:1] == (other.get("class") or "").split()[:1]


def _sections(root: etree._Element, found: list[FoundComment], marks: _Marks) -> list[etree._Element]:
    """The outermost comment areas that hold found comments, or the comments themselves: not the article.

    An area is taken only while what it holds besides comments is small (a heading, a form, a policy
    note): a theme that names its content column "comments" loses no article text for it.
    """
    headline_holders = {ancestor for h1 in root.iter("h1") for ancestor in h1.iterancestors()}
    comment_text = _count_text([comment.item for comment in found])
    sections: list[etree._Element] = []
    for comment in found:
        outer = comment.item
        for ancestor in comment.item.iterancestors():
            if ancestor.tag in ("body", "html", "main") or ancestor in headline_holders:
                break
            if ancestor in marks.area_set:
                own = comment_text.get(ancestor, 0)
                if len(_short_text(ancestor, own + _MAX_OTHER_TEXT + 1)) - own > _MAX_OTHER_TEXT:
                    break
                outer = ancestor
        if not any(outer is section or _contains(section, outer) for section in sections):
            sections = [section for section in sections if not _contains(outer, section)] + [outer]
    return sections


def _count_text(items: list[etree._Element]) -> dict[etree._Element, int]:
    """For every ancestor of *items*, the length of the comments' text it holds."""
    counts: dict[etree._Element, int] = {}
    for item in items:
        size = len(_short_text(item, 100_000))
        for ancestor in item.iterancestors():
            counts[ancestor] = counts.get(ancestor, 0) + size
    return counts


def _short_text(element: etree._Element, limit: int = 200) -> str:
    """The start of the element's visible text, whitespace collapsed (enough to test, cheap to get)."""
    parts: list[str] = []
    size = 0
    for piece in element.itertext():
        parts.append(piece)
        size += len(piece)
        if size > limit:
            break
    return " ".join("".join(parts).split())[:limit]
