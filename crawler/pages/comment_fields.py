"""A found comment's fields: author, time, score, text, quotes and id, read from its own element.

Each comment's element is read without the replies nested in it. Typed
markup names its parts (``itemprop="author"``, ``dateCreated``,
``upvoteCount``, ``text``; RDFa ``foaf:name``, ``dc:date``,
``content:encoded``); otherwise the parts are named by the vocabulary of
:mod:`crawler.pages.comment_vocabulary` (``span.comment-author``,
``div.nickname``, ``time``, ``span.likes``). The text is the text elements'
words, or else the comment's paragraphs, or else its own text with the
author line, date, buttons and score left out (comments written straight
into a ``div``). Quoted passages (``blockquote``, ``div.quote``) go to
``quotes``, not ``text``. The time stays raw (``posted_at_raw``); the caller
turns it into a timestamp.

A pingback or trackback (``li.pingback``: another site's page that links to
the article, which WordPress keeps, numbers and counts among the comments)
is read as the page shows it, "Pingback: <the linking page's title>"; when
the page names no author for it, its author is the linking site (the host
of its link).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from crawler.domain.text import parse_score
from crawler.pages.comment_marks import NOT_CONTENT
from crawler.pages.comment_structure import FoundComment
from crawler.pages.comment_vocabulary import (
    LINKBACK_WORDS,
    PROFILE_URL,
    RELATIVE_TIME,
    Role,
    element_words,
    part_role,
)
from crawler.markup.text import PARAGRAPH_BREAK, element_text
from crawler.pages.visible_dates import find_date

_SAYS = re.compile(r"\s*(?:says|sagt|schreibt|dit|dice|escribe|пишет|говорит|wrote|schrieb)?\s*:?\s*$",
                   re.IGNORECASE)
_SCORE_TEXT = re.compile(r"^[+\-−]?\s?\d[\d,.\s]*\s*(?:points?|likes?|votes?|punkte|pkt\.?|баллов|балла)?$",
                         re.IGNORECASE)
# A score said in words where no class names it: "39 points", "12 Punkte", "+3 votes".
_SCORE_WORDS = re.compile(r"^[+\-−]?\d{1,7}\s+(?:points?|punkte|votes?|stimmen|баллов|балла|балл|points? de vote)$",
                          re.IGNORECASE)
_DOWN_WORDS = frozenset({"dislike", "dislikes", "down", "downvote", "downvotes", "minus", "negative", "contra"})
_LEADING_NUMBER = re.compile(r"^\s*([+\-−]?\s?\d[\d,]*)")
_SPACES = re.compile(r"[^\S\n]+")
_MAX_AUTHOR = 80


@dataclass
class CommentFields:
    """What one comment's markup says."""

    id: str | None = None
    author: str | None = None
    time_raw: str | None = None
    score: int | None = None
    text: str | None = None
    quotes: list[str] = field(default_factory=list)


def read_fields(comment: FoundComment, nested: set[etree._Element]) -> CommentFields:
    """The fields of *comment*, leaving out the comments in *nested* (other comments' elements)."""
    own = list(_own_elements(comment.item, nested))
    fields = CommentFields(id=_comment_id(comment.item, own))
    parts = {element: part_role(element) for element in own}
    fields.author = _author(own, parts) or _linking_site(comment.item, own)
    fields.time_raw = _time(own, parts)
    fields.score = _score(own, parts)
    fields.text, fields.quotes = _text(comment, own, parts, nested)
    if not comment.texts and fields.text:
        fields.text = _without_header_line(fields.text, fields.author, fields.time_raw)
    return fields


def _own_elements(item: etree._Element, nested: set[etree._Element]):
    """The elements of *item* outside *nested* comments and outside content-less tags, in page order."""
    stack = [item]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or element.tag in NOT_CONTENT:
            continue
        if element is not item and element in nested:
            continue
        yield element
        stack.extend(reversed(element))


def _comment_id(item: etree._Element, own: list[etree._Element]) -> str | None:
    """The comment system's own id (comment-18684, post-5012345678, t1_c95fjfq), or None.

    It is on the element, a close ancestor, or an anchor just before it (Drupal writes ``<a
    id="comment-5"></a>`` before the comment); the one the comment's permalink points to wins.
    """
    around = [item, *list(item.iterancestors())[:2]]
    previous = item.getprevious()
    if previous is not None and previous.tag == "a":
        around.append(previous)
    linked = {href.rsplit("#", 1)[1] for element in own if element.tag == "a"
              and "#" in (href := element.get("href") or "")}
    for candidate in around:
        for value in (candidate.get("id"), candidate.get("name")):
            if value and value in linked:
                return value
    for candidate in [*around, *own[:6]]:
        for value in (candidate.get("id"), candidate.get("itemid"), candidate.get("about"), candidate.get("name")):
            if value and any(c.isdigit() for c in value) and not _SPACES.search(value) and len(value) < 80:
                return value
    return None


def _author(own: list[etree._Element], parts: dict[etree._Element, Role | None]) -> str | None:
    typed = [element for element in own if _names_author(element)]
    for element in typed:
        inner = element.find(".//*[@itemprop='name']")
        if (name := _name(inner if inner is not None else element, parts)) is not None:
            return name
    named = [element for element in own if parts[element] is Role.AUTHOR or element.tag == "cite"
             or "fn" in (element.get("class") or "").split()]
    named_set = set(named)
    for element in named:
        if any(inner in named_set for inner in element.iterdescendants()):
            continue  # the innermost names the author; the outer one also holds the date and buttons
        if (name := _name(element, parts)) is not None:
            return name
    for element in own:
        if element.tag == "a" and PROFILE_URL.search(element.get("href") or "") and (name := _name(element, parts)):
            return name
    # A bold name opening the comment ("<b>Anna</b> (12.03.2020):"), outside its text.
    for element in own[1:4]:
        if element.tag in ("b", "strong") and parts[element] is None and not _in_text(element, parts):
            return _name(element, parts)
    return None


def _linking_site(item: etree._Element, own: list[etree._Element]) -> str | None:
    """The host of the link a pingback or trackback item holds (the site that linked to the article)."""
    if not element_words(item) & LINKBACK_WORDS:
        return None
    for element in own:
        if element.tag == "a":
            try:
                host = urlsplit((element.get("href") or "").strip()).hostname
            except ValueError:  # a malformed address ("http://[oops")
                continue
            if host:
                return host
    return None


def _in_text(element: etree._Element, parts: dict[etree._Element, Role | None]) -> bool:
    return any(parts.get(ancestor) is Role.TEXT or ancestor.tag == "p" for ancestor in element.iterancestors())


def _names_author(element: etree._Element) -> bool:
    props = f"{element.get('itemprop') or ''} {element.get('property') or ''} {element.get('rel') or ''}".split()
    return any(prop in ("author", "creator", "foaf:name", "sioc:has_creator", "schema:author") for prop in props)


def _name(element: etree._Element, parts: dict[etree._Element, Role | None]) -> str | None:
    def skip(inner: etree._Element) -> bool:
        return inner.tag in ("time", "img") or parts.get(inner) in (Role.TIME, Role.OTHER, Role.SCORE)

    text = " ".join(element_text(element, skip=skip).split())
    text = _SAYS.sub("", text).strip(" ,;|·-–—")
    if not text:
        text = (element.get("data-username") or element.get("title") or element.get("content") or "").strip()
    return text if 0 < len(text) <= _MAX_AUTHOR else None


def _time(own: list[etree._Element], parts: dict[etree._Element, Role | None]) -> str | None:
    for element in own:
        props = f"{element.get('itemprop') or ''} {element.get('property') or ''}"
        if element.tag == "time" or any(name in props for name in ("dateCreated", "datePublished", "dc:date",
                                                                    "dc:created", "commentTime")):
            machine = element.get("datetime") or element.get("content")
            if machine and machine.strip():
                return machine.strip()
            if text := " ".join(element_text(element).split()):
                return text
    for element in own:
        if parts[element] is Role.TIME:
            # Relative dates ("2 years ago") often carry the full date in a tooltip.
            title = (element.get("title") or "").strip()
            if title and any(c.isdigit() for c in title):
                return title
            text = " ".join(element_text(element).split())
            if 0 < len(text) <= 80 and (any(c.isdigit() for c in text) or RELATIVE_TIME.search(text)):
                return text
    # No element says "date": a date or a relative time printed in a short line of the comment's header.
    for element in own:
        if parts[element] in (Role.TEXT, Role.QUOTE) or element.tag in ("p", "blockquote"):
            continue
        for piece in (element.text, *(child.tail for child in element)):
            line = " ".join((piece or "").split()).strip(" ,;:|·()[]-–—")
            if 0 < len(line) <= 80 and (RELATIVE_TIME.search(line) or find_date(line)):
                return line
    return None


def _score(own: list[etree._Element], parts: dict[etree._Element, Role | None]) -> int | None:
    up = down = None
    for element in own:
        prop = element.get("itemprop") or ""
        value = element.get("content") or " ".join(element_text(element).split())
        if prop in ("upvoteCount", "downvoteCount"):
            number = _number(value)
            if prop == "upvoteCount":
                up = number
            else:
                down = number
        elif _SCORE_WORDS.match(value) and not any(isinstance(child.tag, str) for child in element):
            up = _number(value) if up is None else up
        elif parts[element] is Role.SCORE or (element.get("class") or "").startswith("rating") \
                or (element.get("data-role") in ("likes", "dislikes")):
            if len(element) and any(isinstance(child.tag, str) for child in element):
                continue  # the innermost element holds the number
            number = _number(value) if value and _SCORE_TEXT.match(value) else None
            if number is None:
                continue
            if element_words(element) & _DOWN_WORDS or element.get("data-role") == "dislikes":
                down = abs(number) if down is None else down
            elif up is None:
                up = number
    if up is None and down is None:
        return None
    return (up or 0) - (down or 0)


def _number(value: str) -> int | None:
    """The signed number a score's text starts with ("39 points" → 39, "−3" → -3)."""
    match = _LEADING_NUMBER.match(value)
    return parse_score(match[1].strip()) if match else None


def _text(
    comment: FoundComment, own: list[etree._Element], parts: dict[etree._Element, Role | None],
    nested: set[etree._Element],
) -> tuple[str | None, list[str]]:
    own_set = set(own)
    quotes: list[str] = []

    def skip(element: etree._Element) -> bool:
        if element.tag in NOT_CONTENT or (element in nested and element is not comment.item):
            return True
        if element.tag == "blockquote" or parts.get(element) is Role.QUOTE:
            if quote := _paragraphs(element_text(element)):
                quotes.append(quote)
            return True
        return parts.get(element) is Role.OTHER and element.tag not in ("p", "br")

    if comment.texts:
        blocks = [element_text(text, skip=skip) for text in comment.texts if text in own_set]
        return _paragraphs(PARAGRAPH_BREAK.join(blocks)), quotes
    paragraphs = [p for p in own if p.tag == "p" and parts.get(p) not in (Role.AUTHOR, Role.TIME, Role.OTHER)
                  and not _in_part(p, comment.item, parts)]
    if paragraphs:
        return _paragraphs(PARAGRAPH_BREAK.join(element_text(p, skip=skip) for p in paragraphs)), quotes

    def skip_parts(element: etree._Element) -> bool:
        return skip(element) or parts.get(element) in (Role.AUTHOR, Role.TIME, Role.SCORE) \
            or element.tag in ("time", "cite", "img")

    return _paragraphs(element_text(comment.item, skip=skip_parts)), quotes


def _without_header_line(text: str, author: str | None, time_raw: str | None) -> str | None:
    """The comment's words without an opening line that only names its author and time ("Ute (05.06.2023):")."""
    first, _, rest = text.partition("\n")
    rest = rest.lstrip("\n")
    if rest and len(first) <= 120 and any(value and value in first for value in (author, time_raw)):
        return rest
    return text


def _in_part(element: etree._Element, item: etree._Element, parts: dict[etree._Element, Role | None]) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is item:
            return False
        if parts.get(ancestor) in (Role.AUTHOR, Role.TIME, Role.OTHER, Role.SCORE):
            return True
    return False


def _paragraphs(text: str) -> str | None:
    blocks = (_SPACES.sub(" ", block).strip() for block in text.split(PARAGRAPH_BREAK))
    lines = ("\n".join(line.strip() for line in block.split("\n") if line.strip()) for block in blocks)
    return PARAGRAPH_BREAK.join(line for line in lines if line) or None
