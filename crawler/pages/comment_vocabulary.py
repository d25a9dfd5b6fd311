"""The words pages use in ``class`` and ``id`` for reader comments and their parts, in several languages.

A class or id is split into words (``c-comment-card__text`` → c, comment,
card, text; ``commentText`` → comment, text; ``bb_message_12`` → bb,
message, 12). A word *names a comment* when it starts with one of
:data:`COMMENT_STEMS` (comment, kommentar, leserbrief, réaction, reply,
commento, comentario, комментарий…); the other words of the same token say which part
of a comment it is: its text, author, time or score, or something that is
not a comment at all (the form, the counter, the "reply" button). Weak words
(message, post, answer…) name a comment only inside a comment area or a
forum thread, since articles are "posts" too.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from functools import lru_cache

from lxml import etree

# Word beginnings that name a reader comment (or a set of them) in a class or id, lowercased,
# accents kept and also matched without them (réaction, reaction).
COMMENT_STEMS = (
    "comment", "koment", "komment", "comentar", "leserbrief", "leserkomment", "lesermeinung",
    "leserstimme", "reaction", "reactie", "reakcj", "reazion", "reacción", "reaccion",
    "коммент", "комент", "відгук", "отзыв", "yorum", "disqus", "reply", "replies",
)
# Words with a comment stem that mean something else ("commentary" is an opinion article).
NOT_COMMENT_WORDS = frozenset({"commentary", "commentaries", "commentator", "commentators", "commentcount"})
# Words naming one post of a discussion, read as a comment only inside a comment area or thread.
WEAK_ITEM_WORDS = frozenset({
    "message", "msg", "post", "posting", "answer", "antwort", "beitrag", "réponse",
    "respuesta", "risposta", "ответ", "entry",
})
# Whole words that name a comment's text by an engine's convention (DataLife Engine's ``comm-id-N``).
TEXT_WORDS = frozenset({"comm"})
# Words WordPress's comment_class() gives another site's link listed among the comments (pingback, trackback).
LINKBACK_WORDS = frozenset({"pingback", "trackback"})
# Words naming a discussion without naming comments.
THREAD_WORDS = frozenset({"thread", "threads", "forum", "discussion", "discussions", "diskussion", "debate", "talk"})

# Relative times as comment systems print them: "6 years ago", "vor 2 Stunden", "il y a 3 jours", "5 минут назад".
RELATIVE_TIME = re.compile(
    r"\b(?:(?:about|ca\.?|etwa)\s+)?(?:\d+|an?|one)\s+\w+\s+ago\b|\bvor\s+(?:\d+|einem|einer)\s+\w+|"
    r"\bil y a\s+\d+\s+\w+|\bhace\s+\d+\s+\w+|\b\d+\s+\w+\s+fa\b|\d+\s+\w+\s+назад|"
    r"\b(?:just now|gerade eben|à l'instant)\b|^(?:yesterday|gestern|hier|ayer|ieri|вчера|today|heute)\b",
    re.IGNORECASE)
# Links to a commenter's profile page.
PROFILE_URL = re.compile(r"/(?:users?|profiles?|members?|autor(?:en)?|authors?|u|people|community)/", re.IGNORECASE)


class Role(Enum):
    """What a class/id token says an element is, relative to a comment."""

    AREA = "area"  # a comment, a list of them, or the section holding them
    TEXT = "text"
    AUTHOR = "author"
    TIME = "time"
    SCORE = "score"
    QUOTE = "quote"
    OTHER = "other"  # a part that is not the commenter's words: form, counter, buttons, links


_ROLE_WORDS = {
    Role.TEXT: "text texte testo texto txt content contents contenu contenuto contenido body message msg inhalt "
               "inhalte corpo cuerpo текст tresc treść richtext",
    Role.AUTHOR: "author authors autor autore auteur user username usr name nick nickname fn poster commenter "
                 "byline who signature автор автора",
    Role.TIME: "date time timestamp datetime datum zeit posted published created ago fecha data дата время",
    Role.SCORE: "score vote votes voting rating rate points point likes like dislikes karma рейтинг",
    Role.QUOTE: "quote quotes zitat citation cita citazione цитата blockquote",
    Role.OTHER: "form respond count counter counts number num title titles heading headline header "
                "nav navigation pagination pager pages page policy rules guidelines login logged button btn icon "
                "link links share sharing toggle more load loader loading subscribe sort sorting filter tabs tab "
                "closed disabled notice notes note info tools toolbar menu actions action flag report edit "
                "permalink input textarea field submit captcha editor compose new add write open status "
                "none empty teaser widget badge overlay modal popup banner ads promo cta support avatar "
                "meta metadata footer options settings kopf head top",
}
ROLE_OF_WORD = {word: role for role, words in _ROLE_WORDS.items() for word in words.split()}

_CAMEL = re.compile(r"(?<=[a-zà-ÿ0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s_\-:./\[\]()]+")
_NUMBER = re.compile(r"^\d+$")


@lru_cache(maxsize=16384)
def words_of(token: str) -> tuple[str, ...]:
    """The words of one class or id token, lowercased: ``commentText`` → (comment, text)."""
    return tuple(word for word in _SEPARATORS.split(_CAMEL.sub(" ", token).lower()) if word)


@lru_cache(maxsize=8192)
def is_comment_word(word: str) -> bool:
    """Whether *word* names a reader comment (comment, kommentare, réactions, комментарий…)."""
    if word in NOT_COMMENT_WORDS or word.startswith(("commentar", "commentat")):
        return False
    plain = _without_accents(word)
    return word.startswith(COMMENT_STEMS) or plain.startswith(COMMENT_STEMS)


@lru_cache(maxsize=16384)
def token_role(token: str, *, weak: bool = False) -> Role | None:
    """The role *token* gives an element if one of its words names a comment (with *weak*: also weak words).

    ``comment`` → AREA, ``comment-content`` → TEXT, ``comment-author`` →
    AUTHOR, ``comment-form`` → OTHER, ``sidebar`` → None. The first role word
    after the comment word decides (``comment-meta-date`` → OTHER), else the
    word just before it (``texte-commentaire``); words further before name
    something else (``nav-text--comments`` is a link's label).
    """
    words = words_of(token)
    for position, word in enumerate(words):
        if word in TEXT_WORDS:
            return Role.TEXT
        if is_comment_word(word) or (weak and word in WEAK_ITEM_WORDS):
            before = _role_after(words[position - 1:position]) if position else None
            return _role_after(words[position + 1:]) or before or Role.AREA
    return None


def element_tokens(element: etree._Element) -> list[str]:
    """The element's class tokens and its id, as written, without generated ones (``_1qeIAgB0cPwnLh``)."""
    tokens = [token for token in (element.get("class") or "").split() if not _is_generated(token)]
    if (own_id := element.get("id")) and not _is_generated(own_id):
        tokens.append(own_id)
    return tokens


def element_words(element: etree._Element) -> set[str]:
    """Every word of the element's class tokens and id."""
    return {word for token in element_tokens(element) for word in words_of(token)}


def element_role(element: etree._Element, *, weak: bool = False) -> Role | None:
    """The strongest comment role among the element's tokens (TEXT over AREA over the parts)."""
    roles = {role for token in element_tokens(element) if (role := token_role(token, weak=weak))}
    # A WordPress comment is `li.comment.comment-author-admin`: a comment that names its author's role.
    for role in (Role.TEXT, Role.AREA, Role.OTHER, Role.QUOTE, Role.AUTHOR, Role.TIME, Role.SCORE):
        if role in roles:
            return role
    return None


def part_role(element: etree._Element) -> Role | None:
    """The role of a part *inside* a comment, named with or without the comment word (``span.author``)."""
    role = element_role(element, weak=True)
    if role not in (None, Role.AREA):
        return role
    for token in element_tokens(element):
        found = _role_after(words_of(token))
        if found is not None:
            return found
    return None


def is_thread(element: etree._Element) -> bool:
    """Whether the element's class or id names a discussion (forum thread, discussion) without "comment"."""
    return bool(element_words(element) & THREAD_WORDS)


def _role_after(words: tuple[str, ...] | list[str]) -> Role | None:
    for word in words:
        if _NUMBER.match(word):
            continue
        if (role := ROLE_OF_WORD.get(word)) is not None:
            return role
    return None


@lru_cache(maxsize=16384)
def _is_generated(token: str) -> bool:
    # Build tools hash class names (CSS modules, styled-components): letters of both cases and digits, which
    # camel-case splitting would turn into random short "words".
    return (len(token) >= 6 and any(c.isdigit() for c in token) and any(c.isupper() for c in token)
            and any(c.islower() for c in token))


def _without_accents(word: str) -> str:
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
