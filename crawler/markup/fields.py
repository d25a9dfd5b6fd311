"""Where a field of a page is found: several sources in order of trust, the first that finds something wins.

A site profile lists, per field, where to look — CSS selectors (parsel's
``::text`` and ``::attr(name)`` included) and the page's JSON-LD article node
(``jsonld:headline``, ``jsonld:author.name``) — strongest evidence first: the
engine's own markup, then ``<time datetime>``, JSON-LD, OpenGraph and
``<meta>``, then the theme's class names, which change when a site is
redesigned. A :class:`FieldChain` tries them in that order and says which one
answered (:class:`Found`), so a missing field can be reported with everything
that was tried.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from lxml import etree

from crawler.markup.selectors import Css, UnsupportedSelector
from crawler.markup.text import node_text

JSONLD_PREFIX = "jsonld:"

T = TypeVar("T")
# The page's JSON-LD article node, parsed only if a chain asks for it.
ArticleNode = Callable[[], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Found:
    """What a source found (an element, or a string from an attribute, ``::text`` or JSON-LD) and which source."""

    value: etree._Element | str
    source: str

    @property
    def text(self) -> str:
        """The value as one line of text (an element's text with whitespace collapsed)."""
        return self.value if isinstance(self.value, str) else node_text(self.value)

    @property
    def element(self) -> etree._Element | None:
        return None if isinstance(self.value, str) else self.value


class _JsonLdPath:
    """A dotted path into the JSON-LD article node: ``headline``, ``author.name``, ``datePublished``."""

    def __init__(self, spec: str):
        self.spec = spec
        self.keys = spec.removeprefix(JSONLD_PREFIX).split(".")
        if not all(self.keys):
            raise UnsupportedSelector(f"{spec!r}: a JSON-LD path is jsonld: and dotted names, e.g. jsonld:author.name")

    def values(self, node: dict[str, Any] | None) -> list[str]:
        found: list[Any] = [node] if node is not None else []
        for key in self.keys:
            found = [item.get(key) for value in found for item in (value if isinstance(value, list) else [value])
                     if isinstance(item, dict)]
        flat = [item for value in found for item in (value if isinstance(value, list) else [value])]
        return [text for item in flat if isinstance(item, (str, int, float)) and (text := str(item).strip())]


class FieldChain:
    """The sources of one field, in order of trust (a TOML string or list of strings)."""

    def __init__(self, specs: str | Sequence[str]):
        self.specs = (specs,) if isinstance(specs, str) else tuple(specs)
        if not self.specs:
            raise UnsupportedSelector("no selector given")
        self._sources = [_JsonLdPath(spec) if spec.startswith(JSONLD_PREFIX) else Css(spec) for spec in self.specs]

    @property
    def tried(self) -> str:
        """Every source, for a message about a field nothing found."""
        return ", ".join(self.specs)

    def find(self, root: etree._Element, read: Callable[[Found], T | None],
             article_node: ArticleNode | None = None) -> tuple[T, str] | None:
        """What *read* makes of the first match of the most trusted source for which it makes something, and
        that source. *read* cleans a match into the field's value (None: nothing usable, try the next source)."""
        for spec, source in zip(self.specs, self._sources):
            for value in self._matches(source, root, article_node, first_only=True):
                if (read_value := read(Found(value, spec))) is not None:
                    return read_value, spec
        return None

    def all(self, root: etree._Element, article_node: ArticleNode | None = None) -> tuple[list[Any], str | None]:
        """Every match of the most trusted source that matches anything, and which source that was."""
        for spec, source in zip(self.specs, self._sources):
            if values := self._matches(source, root, article_node, first_only=False):
                return values, spec
        return [], None

    @staticmethod
    def _matches(source: Css | _JsonLdPath, root: etree._Element, article_node: ArticleNode | None,
                 first_only: bool) -> list[Any]:
        if isinstance(source, _JsonLdPath):
            values = source.values(article_node() if article_node is not None else None)
            return values[:1] if first_only else values
        if first_only:
            match = source.first(root)
            return [] if match is None else [match]
        return source(root)
