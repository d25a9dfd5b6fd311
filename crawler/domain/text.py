"""Text normalizers: titles, paragraphs of text, comment scores.

:func:`parse_score`, :func:`clean_title` and :func:`clean_text` are pure
functions, cheap enough to call for every comment of every page. None of them
raises on page text: what cannot be read comes back as ``None``, for the caller
to note in the item's ``warnings``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["INVISIBLE", "clean_text", "clean_title", "parse_score"]

# Characters that are invisible on the page but break matching and comparison: zero-width
# space, word joiner, BOM, soft hyphen and control characters that are not line breaks.
# ZWJ and ZWNJ stay: they hold emoji sequences and some scripts together.
INVISIBLE = {ord(c): None for c in "\u200b\u2060\ufeff\u00ad\x7f"} | {
    c: None for c in [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x1F]
}
_ANY_INVISIBLE = re.compile("[" + "".join(re.escape(chr(code)) for code in INVISIBLE) + "]")
# Only well-formed references: html.unescape alone would also rewrite "&para" in "&paragraph".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# --- scores -----------------------------------------------------------------------------------

# Minus signs a page may use instead of "-": U+2212 minus, figure and en dashes, small and full-width forms.
_SCORE_CHARS = INVISIBLE | str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-",
                                          "\uff0d": "-", "\ufe62": "+", "\uff0b": "+"})
_SCORE = re.compile(r"([+-]?) ?(\d{1,3}(?:[ ,]\d{3})+|\d{1,12})", re.ASCII)


def parse_score(text: str | None) -> int | None:
    """Read a comment's rating: a signed whole number, maybe with thousands separators.

    >>> [parse_score(s) for s in ["+2", "0", "\u22123", " +15 ", "1,234", "\u2014", None]]
    [2, 0, -3, 15, 1234, None, None]
    """
    if not isinstance(text, str):
        return None
    match = _SCORE.fullmatch(" ".join(text.translate(_SCORE_CHARS).split()))
    if match is None:
        return None
    value = int(match[2].replace(",", "").replace(" ", ""))
    return -value if match[1] == "-" else value


# --- titles and text --------------------------------------------------------------------------

_PREFIX_SEPARATOR = r"(?:\s*[:|—–·•»/]\s*|\s+-+\s+)"
_SUFFIX_SEPARATOR = r"(?:\s*[:|—–·•»/]\s*|\s+-+\s*)"


def clean_title(text: str | None, *, site_suffixes: Sequence[str] = ()) -> str | None:
    """Tidy a title or other one-line text; drop the site's name around it.

    Entities are unescaped, the text is NFC, invisible characters go and all
    whitespace (line breaks too) becomes single spaces. A name in *site_suffixes*
    is dropped at the end or the start, whatever separator sets it off.

    >>> clean_title("A&nbsp;source\\nreveals &amp; more | Military Review", site_suffixes=["Military Review"])
    'A source reveals & more'
    >>> clean_title("Military Review: News", site_suffixes=["Military Review"])
    'News'
    >>> clean_title(" \\u200b ") is None
    True
    """
    if not isinstance(text, str):
        return None
    title = " ".join(_normalize_characters(text).split())
    names = tuple(name for name in site_suffixes if name.strip())
    if names and title:
        pattern = _site_name_pattern(names)
        while (stripped := pattern.fullmatch(title)["title"]) != title:
            title = stripped
    return title or None


@lru_cache(maxsize=64)
def _site_name_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(" ".join(_normalize_characters(name).split())) for name in names)
    return re.compile(
        rf"(?:(?:{alternatives}){_PREFIX_SEPARATOR})?(?P<title>.*?)"
        rf"(?:{_SUFFIX_SEPARATOR}(?:{alternatives}))?",
        re.IGNORECASE | re.DOTALL,
    )


def clean_text(text: str | None, *, boilerplate: Sequence[str | re.Pattern[str]] = ()) -> str | None:
    r"""Tidy extracted plain text into paragraphs separated by a blank line.

    Entities are unescaped, the text is NFC and invisible characters go. Within a
    line, whitespace runs become one space; lines are stripped; a single line break
    stays ``\n``; two or more make one paragraph break (``\n\n``). A paragraph is
    dropped if it equals or starts with a string in *boilerplate*, or if a compiled
    pattern there finds a match in it.

    >>> clean_text("One&nbsp; line\r\nnext line\n\n\n\tTwo\n\nUsed photos: x", boilerplate=["Used photos:"])
    'One line\nnext line\n\nTwo'
    >>> clean_text(" \n\u00a0\n") is None
    True
    """
    if not isinstance(text, str):
        return None
    paragraphs: list[str] = []
    lines: list[str] = []
    for raw_line in _normalize_characters(text).replace("\u2029", "\n\n").splitlines():
        if line := " ".join(raw_line.split()):
            lines.append(line)
        elif lines:
            paragraphs.append("\n".join(lines))
            lines = []
    if lines:
        paragraphs.append("\n".join(lines))
    kept = [p for p in paragraphs if not _is_boilerplate(p, boilerplate)]
    return "\n\n".join(kept) or None


def _is_boilerplate(paragraph: str, boilerplate: Sequence[str | re.Pattern[str]]) -> bool:
    for entry in boilerplate:
        if isinstance(entry, str):
            if entry and paragraph.startswith(entry):
                return True
        elif entry.search(paragraph) is not None:
            return True
    return False


def _normalize_characters(text: str) -> str:
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    text = unicodedata.normalize("NFC", text)
    # Looking for them is cheaper than translate(), which builds a new string whatever it finds.
    return text.translate(INVISIBLE) if _ANY_INVISIBLE.search(text) else text
