"""Reader comments found in a page's own markup or JSON-LD, without knowing the site.

Comment systems name their markup after what it is, in many languages and
CSS conventions: ``div.comment-content`` (WordPress), ``p.commentText``,
``div.c-comment-card__text`` (BEM), ``div.kommentar-text``, microdata
``itemtype=".../Comment"``. A *text element* is one whose class says
"comment" and then "text/content/body/message"; the innermost ones are the
comments (an outer ``comment-body`` also holds the author line). Comment
*items* (``li.comment``, ``section.comment-item``) with no text element
inside give their own paragraphs instead. Comments that a script loads
after the page (Disqus, most big publishers) are not in the HTML and cannot
be found here. Only ``id`` and ``text`` are read generically; the other
fields stay empty except what JSON-LD states outright.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import html

from crawler.domain.items import Comment
from crawler.markup.text import PARAGRAPH_BREAK, element_text
from crawler.pages.metadata import clean

_WORD = r"(?:comment|kommentar|commentaire|comentario)"
_TEXT_CLASS = re.compile(rf"(?<![a-z]){_WORD}(?:[-_]+(?:card|item|entry))?[-_]*(?:text|texte|content|body|message)$")
_ITEM_CLASS = re.compile(rf"^(?:[a-z]{{1,4}}[-_])?{_WORD}(?:[-_]+(?:item|entry|single|card))?$")
_CANDIDATES = (
    "//*[contains(translate(@class, 'COMENTARIOK', 'comentariok'), 'comment')"
    " or contains(translate(@class, 'COMENTARIOK', 'comentariok'), 'kommentar')"
    " or contains(translate(@class, 'COMENTARIOK', 'comentariok'), 'comentario')"
    " or contains(@itemtype, 'Comment')]"
)
_NOT_CONTENT = frozenset({"form", "textarea", "template", "script", "noscript", "style", "button"})
_ID_WITH_NUMBER = re.compile(r"\d")
_SPACES = re.compile(r"\s+")


def markup_comments(root: html.HtmlElement) -> list[Comment]:
    """The comments in *root*'s markup, in page order, with ``id`` and ``text``."""
    texts, items = _candidates(root)
    # Sets of elements, not of id()s: they keep lxml's proxies alive, so identity stays meaningful.
    holds_text = {ancestor for element in texts for ancestor in element.iterancestors()}
    item_set = set(items)
    chosen = {element for element in [*texts, *items] if element not in holds_text}
    comments: list[Comment] = []
    for element in root.iter():
        if element in chosen and (text := _comment_text(element, item_set)):
            comments.append(_comment(_comment_id(element, len(comments) + 1), text))
    return _unique_ids(comments)


def jsonld_comments(nodes: list[dict[str, Any]]) -> list[Comment]:
    """Comments a JSON-LD article node lists under ``comment``: text, author and the raw date."""
    comments: list[Comment] = []
    for node in nodes:
        text = _paragraphs_of(node.get("text") or node.get("description") or node.get("articleBody"))
        if not text:
            continue
        author = node.get("author")
        name = clean(author.get("name") if isinstance(author, dict) else author)
        raw_date = clean(node.get("dateCreated") or node.get("datePublished"))
        comment = _comment(clean(str(node.get("@id") or "")) or f"c{len(comments) + 1}", text)
        comment.author, comment.posted_at_raw = name, raw_date
        comments.append(comment)
    return _unique_ids(comments)


def _candidates(root: html.HtmlElement) -> tuple[list[html.HtmlElement], list[html.HtmlElement]]:
    texts, items = [], []
    for element in root.xpath(_CANDIDATES):
        if any(ancestor.tag in _NOT_CONTENT for ancestor in element.iterancestors()) or element.tag in _NOT_CONTENT:
            continue
        tokens = [token.lower() for token in (element.get("class") or "").split()]
        if any(_TEXT_CLASS.search(token) for token in tokens) or _is_microdata_text(element):
            texts.append(element)
        elif any(_ITEM_CLASS.match(token) for token in tokens) or "Comment" in (element.get("itemtype") or ""):
            items.append(element)
    return texts, items


def _is_microdata_text(element: html.HtmlElement) -> bool:
    if element.get("itemprop") not in ("text", "commentText"):
        return False
    return any("Comment" in (a.get("itemtype") or "") for a in element.iterancestors())


def _comment_text(element: html.HtmlElement, items: set[html.HtmlElement]) -> str | None:
    """Paragraphs of *element*, leaving out replies nested inside it."""

    def skip(el: html.HtmlElement) -> bool:
        return el.tag in _NOT_CONTENT or el in items

    if element not in items:
        return _paragraphs_of(element_text(element, skip=skip))
    # An item without a text element: only its paragraphs, not its author line or buttons.
    own = [p for p in element.iter("p") if not _in_nested_item(p, element, items)]
    return _paragraphs_of(PARAGRAPH_BREAK.join(element_text(p, skip=skip) for p in own))


def _in_nested_item(node: html.HtmlElement, item: html.HtmlElement, items: set[html.HtmlElement]) -> bool:
    for ancestor in node.iterancestors():
        if ancestor is item:
            return False
        if ancestor in items:
            return True
    return False


def _paragraphs_of(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    paragraphs = (_SPACES.sub(" ", part).strip() for part in text.split(PARAGRAPH_BREAK))
    return PARAGRAPH_BREAK.join(part for part in paragraphs if part) or None


def _comment_id(element: html.HtmlElement, number: int) -> str:
    # The comment system's own id (comment-18684, t1_c95fjfq) is on the element or a close ancestor.
    for candidate in [element, *list(element.iterancestors())[:4]]:
        own_id = candidate.get("id")
        if own_id and _ID_WITH_NUMBER.search(own_id) and not _SPACES.search(own_id):
            return own_id
    return f"c{number}"


def _comment(comment_id: str, text: str) -> Comment:
    return Comment(
        id=comment_id, parent_id=None, depth=0, author=None, posted_at=None, posted_at_raw=None,
        score=None, text=text,
    )


def _unique_ids(comments: list[Comment]) -> list[Comment]:
    seen: dict[str, int] = {}
    for comment in comments:
        count = seen.get(comment.id, 0)
        seen[comment.id] = count + 1
        if count:
            comment.id = f"{comment.id}-{count + 1}"
    return comments
