"""DLE-style ``.tpl`` templates and the pages they build.

A template is HTML with ``{tag}`` placeholders, as DLE's skins have (its
``[block]...[/block]`` conditionals are decided in Python instead). Rendering
yields *markup*: text with :class:`~crawler.replica.clock.DateSlot` objects
where a relative date goes, so a :class:`Page` can be cached once and still
show "5 minutes ago" correctly on every request.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from crawler.replica.clock import DateSlot

Part = str | DateSlot
Markup = list[Part]
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9-]*)\}")


class Template:
    """A template split once into literal text and placeholder names."""

    def __init__(self, text: str, name: str = "<string>") -> None:
        self.name = name
        pieces = _PLACEHOLDER.split(text)
        self._literals = pieces[0::2]
        self._names = pieces[1::2]

    def render(self, values: Mapping[str, str | Markup]) -> Markup:
        """The template with every placeholder replaced; a missing value is a bug, so it raises."""
        out: Markup = [self._literals[0]]
        for name, literal in zip(self._names, self._literals[1:], strict=True):
            try:
                value = values[name]
            except KeyError as e:
                raise KeyError(f"template {self.name} needs a value for {{{name}}}") from e
            if isinstance(value, str):
                out.append(value)
            else:
                out.extend(value)
            out.append(literal)
        return out


@functools.cache
def template(name: str) -> Template:
    """``data/<name>.tpl``, read and split once per process."""
    text = resources.files(__package__).joinpath(f"data/{name}.tpl").read_text("utf-8")
    return Template(text, name)


def escape(text: str) -> str:
    """Text for HTML as DLE stores it: ``&``, ``<``, ``>``, ``"`` and ``'`` (as ``&#039;``) escaped."""
    return html.escape(text, quote=True).replace("&#x27;", "&#039;")


def join(pieces: list[str | Markup], sep: str = "") -> Markup:
    """Pieces of markup one after the other, *sep* between them."""
    out: Markup = []
    for i, piece in enumerate(pieces):
        if i and sep:
            out.append(sep)
        if isinstance(piece, str):
            out.append(piece)
        else:
            out.extend(piece)
    return out


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True)
class Page:
    """A rendered page: bytes, with relative dates filled in per request.

    ``escape`` prepares a slot's text for the page's format (JSON strings need
    escaping, HTML needs none: the texts have no markup characters).
    """

    parts: tuple[bytes | DateSlot, ...]
    encoding: str = "utf-8"
    escape: Callable[[str], str] = _identity
    content_type: str = "text/html; charset=utf-8"

    @classmethod
    def from_markup(
        cls,
        markup: Markup,
        encoding: str = "utf-8",
        escape: Callable[[str], str] = _identity,
        content_type: str = "text/html; charset=utf-8",
    ) -> Page:
        parts: list[bytes | DateSlot] = []
        text: list[str] = []
        for part in markup:
            if isinstance(part, str):
                text.append(part)
                continue
            parts.append("".join(text).encode(encoding, "xmlcharrefreplace"))
            parts.append(part)
            text = []
        parts.append("".join(text).encode(encoding, "xmlcharrefreplace"))
        return cls(tuple(p for p in parts if p != b""), encoding, escape, content_type)

    @functools.cached_property
    def is_static(self) -> bool:
        return all(isinstance(p, bytes) for p in self.parts)

    def slot_texts(self, now: datetime) -> tuple[str, ...]:
        """What the page's relative dates say at *now*."""
        return tuple(p.render(now) for p in self.parts if isinstance(p, DateSlot))

    def fill(self, texts: tuple[str, ...]) -> bytes:
        """The page with its relative dates replaced by *texts* (as :meth:`slot_texts` gives them)."""
        given = iter(texts)
        return b"".join(
            p if isinstance(p, bytes) else self.escape(next(given)).encode(self.encoding, "xmlcharrefreplace")
            for p in self.parts
        )

    def body(self, now: datetime) -> bytes:
        """The page as a reader at *now* gets it."""
        return self.fill(self.slot_texts(now))
