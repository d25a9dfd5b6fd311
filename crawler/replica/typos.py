"""Slips of the keyboard as forum readers make them.

Misspelt words, apostrophes left out, a lower-case "i", no space after a
comma, two letters swapped, one doubled or dropped, a word in capitals,
punctuation doubled or missing, and the Russian forum's bracket smile ``)))``.
Nicknames (and any other word the caller protects) are never touched.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from crawler.replica.remarks import comment_bank

_WORD = re.compile(r"\b[a-z]{5,}\b")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_LONE_I = re.compile(r"\bI\b")
_FIRST_WORD = re.compile(r"\w+")

Slip = Callable[[random.Random, str, frozenset[str]], str]


def _words(text: str, keep: frozenset[str]) -> list[re.Match[str]]:
    return [m for m in _WORD.finditer(text) if m.group() not in keep]


def _misspell(rng: random.Random, text: str, keep: frozenset[str]) -> str:
    found = [(m, wrong) for right, wrong in comment_bank()["misspellings"].items()
             for m in re.finditer(rf"\b{re.escape(right)}\b", text) if m.group() not in keep]  # fmt: skip
    if not found:
        return text
    m, wrong = rng.choice(found)
    return text[: m.start()] + wrong + text[m.end() :]


def _in_a_word(change: Callable[[str, int], str]) -> Slip:
    """A slip inside one longer lower-case word, at an inner letter."""

    def slip(rng: random.Random, text: str, keep: frozenset[str]) -> str:
        words = _words(text, keep)
        if not words:
            return text
        m = rng.choice(words)
        return text[: m.start()] + change(m.group(), rng.randrange(1, len(m.group()) - 2)) + text[m.end() :]

    return slip


def _shout(rng: random.Random, text: str, keep: frozenset[str]) -> str:
    words = _words(text, keep)
    if not words:
        return text
    m = rng.choice(words)
    return text[: m.start()] + m.group().upper() + text[m.end() :]


def _punctuation(rng: random.Random, text: str, keep: frozenset[str]) -> str:
    if text.endswith("?"):
        return text + rng.choice(["?", "??", "!"])
    if text.endswith("!"):
        return text + rng.choice(["!", "!!", "1"])
    if text.endswith("."):
        return text[:-1] + rng.choice(["", "...", "..", " ."])
    return text + "..."


def _lower_case_start(rng: random.Random, text: str, keep: frozenset[str]) -> str:
    text = _LONE_I.sub("i", text)
    first = _FIRST_WORD.match(text)
    return text if first and first.group() in keep else text[:1].lower() + text[1:]


SLIPS: tuple[Slip, ...] = (
    _misspell,
    _misspell,
    lambda rng, text, keep: _APOSTROPHE.sub("", text),
    _lower_case_start,
    lambda rng, text, keep: text.replace(", ", ",", 1),
    _in_a_word(lambda word, i: word[:i] + word[i + 1] + word[i] + word[i + 2 :]),
    _in_a_word(lambda word, i: word[: i + 1] + word[i:]),
    _in_a_word(lambda word, i: word[:i] + word[i + 1 :]),
    _shout,
    _punctuation,
    _punctuation,
    lambda rng, text, keep: text.rstrip(".") + rng.choice([")))", "))", " )))"]),
)


def roughen(rng: random.Random, sentences: list[str], keep: frozenset[str]) -> list[str]:
    """*sentences* with one to three slips, each in a sentence of its own choosing."""
    out = list(sentences)
    for _ in range(rng.choice([1, 1, 2, 3])):
        i = rng.randrange(len(out))
        out[i] = rng.choice(SLIPS)(rng, out[i], keep)
    return out
