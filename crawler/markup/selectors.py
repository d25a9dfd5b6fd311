"""CSS selectors compiled once: XPath for whole pages, Python tests for one element at a time.

Site profiles give their selectors as CSS; they are compiled here when a
profile loads, not on every page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import cssselect
from cssselect.parser import Attrib, Class, Element, Hash, Negation, Tree
from lxml import etree
from parsel.csstranslator import css2xpath


class Css:
    """A CSS selector (parsel's ``::text`` and ``::attr(name)`` included) compiled to XPath once.

    Profiles give selectors as CSS; a page class compiles them when it is built
    instead of on every call, as ``response.css()`` would. :meth:`first` of a
    selector that tests one element by itself (:class:`ElementSelector`) walks
    the elements it can match in document order and stops at the first match;
    the XPath would evaluate the whole page first.
    """

    def __init__(self, css: str):
        self.css = css
        try:
            # lxml's default "smart" strings keep their whole page alive as long as an item holds one.
            self._xpath = etree.XPath(css2xpath(css), smart_strings=False)
        except (cssselect.SelectorError, etree.XPathSyntaxError) as e:
            raise UnsupportedSelector(f"not a CSS selector ({e})") from e
        try:
            self._element: ElementSelector | None = ElementSelector(css)
        except UnsupportedSelector:  # combinators, ::text, ::attr(): the XPath does it all
            self._element = None

    def __call__(self, root: etree._Element) -> list:
        """All matches under *root*: elements, or strings for ``::text`` and ``::attr()``."""
        return self._xpath(root)

    def first(self, root: etree._Element):
        """The first of :meth:`__call__`'s matches, or None."""
        if self._element is not None:
            return self._element.first(root)
        found = self._xpath(root)
        return found[0] if found else None


ElementTest = Callable[[etree._Element], bool]
# What XPath's normalize-space() and CSS's ~= treat as whitespace.
_XML_WHITESPACE = re.compile(r"[ \t\r\n]+")
_CSS_WHITESPACE = frozenset(" \t\r\n\f")


class UnsupportedSelector(ValueError):
    """Not a CSS selector, or one that :class:`ElementSelector` cannot test on one element."""


class ElementSelector:
    """A CSS selector (or group) that tests one element by its own name and attributes, in Python.

    For markup read element by element (a comment is walked once, every
    element tested on the way), where an XPath per field would traverse the
    page again for each. Allowed: element names, ``#id``, ``.class``,
    ``[name]`` and ``[name=value]`` with ``~= |= ^= $= *=``, and ``:not()``
    of those; not combinators, pseudo-classes or pseudo-elements, which need
    more than the element itself (:class:`UnsupportedSelector` says which).
    An element matches exactly when parsel's XPath for the selector would
    select it.
    """

    def __init__(self, css: str):
        self.css = css
        try:
            selectors = cssselect.parse(css)
        except cssselect.SelectorError as e:
            raise UnsupportedSelector(f"not a CSS selector ({e})") from e
        if any(selector.pseudo_element for selector in selectors):
            raise UnsupportedSelector("pseudo-elements (::text, ::attr()) are not supported here")
        by_tag: dict[str | None, list[ElementTest]] = {}
        for selector in selectors:
            tag, test = _compile(selector.parsed_tree)
            by_tag.setdefault(tag, []).append(test)
        any_tag = tuple(by_tag.pop(None, ()))
        #: Element name -> the tests an element of that name must pass one of; names not listed: ``any_tag``.
        self.by_tag: dict[str, tuple[ElementTest, ...]] = {tag: (*tests, *any_tag) for tag, tests in by_tag.items()}
        self.any_tag = any_tag

    def __call__(self, element: etree._Element) -> bool:
        """Whether *element* matches (comments and processing instructions never do)."""
        tag = element.tag
        if not isinstance(tag, str):
            return False
        for test in self.by_tag.get(tag, self.any_tag):
            if test(element):
                return True
        return False

    def first(self, root: etree._Element) -> etree._Element | None:
        """The first match in document order among *root* and its descendants."""
        if len(self.by_tag) == 1 and not self.any_tag:
            # The common case (one element name, one test, e.g. div.post-cont): the test called directly, as
            # this loop runs over every element of that name of a page that has no match.
            ((tag, tests),) = self.by_tag.items()
            if len(tests) == 1:
                test = tests[0]
                return next((element for element in root.iter(tag) if test(element)), None)
        for element in root.iter(*(() if self.any_tag else self.by_tag)):
            if self(element):
                return element
        return None


def _compile(tree: Tree) -> tuple[str | None, ElementTest]:
    """The element name *tree* requires (None: any) and a test of everything else it requires."""
    tests: list[ElementTest] = []
    while not isinstance(tree, Element):
        if isinstance(tree, Class):
            tests.append(_includes("class", tree.class_name))
        elif isinstance(tree, Hash):
            tests.append(_attribute_test("id", "=", tree.id))
        elif isinstance(tree, Attrib):
            if tree.namespace or tree.flag:
                raise UnsupportedSelector(f"attribute namespaces and flags are not supported ({tree.canonical()})")
            tests.append(_attribute_test(tree.attrib.lower(), tree.operator,
                                         tree.value.value if tree.value is not None else None))
        elif isinstance(tree, Negation):
            tests.append(_negation(tree.subselector))
        else:
            raise UnsupportedSelector(f"{tree.canonical()!r}: only element names, #id, .class, [attribute] tests "
                                      "and :not() of those (no combinators or pseudo-classes)")
        tree = tree.selector  # type: ignore[union-attr]
    if tree.namespace:
        raise UnsupportedSelector(f"namespaces are not supported ({tree.canonical()})")
    tests.reverse()  # left to right, as written
    return (tree.element.lower() if tree.element else None), _all(tests)


def _negation(subselector: Tree) -> ElementTest:
    tag, test = _compile(subselector)
    if tag is None:
        return lambda element: not test(element)
    return lambda element: not (element.tag == tag and test(element))


def _all(tests: list[ElementTest]) -> ElementTest:
    if not tests:
        return lambda element: True
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:  # div.a.b, a[href][rel]: without a generator per element
        first, second = tests
        return lambda element: first(element) and second(element)
    return lambda element: all(test(element) for test in tests)


def _attribute_test(name: str, operator: str, value: str | None) -> ElementTest:
    if operator == "exists":
        return lambda element: element.get(name) is not None
    assert value is not None
    if operator == "=":
        return lambda element: element.get(name) == value
    if operator == "~=":
        return _includes(name, value)
    if operator == "|=":
        dashed = value + "-"
        return lambda element: (found := element.get(name)) is not None and (found == value or found.startswith(dashed))
    if not value:  # ^=, $= and *= with nothing to look for match nothing
        return lambda element: False
    if operator == "^=":
        return lambda element: (found := element.get(name)) is not None and found.startswith(value)
    if operator == "$=":
        return lambda element: (found := element.get(name)) is not None and found.endswith(value)
    if operator == "*=":
        return lambda element: (found := element.get(name)) is not None and value in found
    raise UnsupportedSelector(f"attribute operator {operator!r} is not supported")


def _includes(name: str, word: str) -> ElementTest:
    """``[name~=word]`` (and ``.word`` for class): *word* is one of the whitespace-separated values."""
    if not word or _CSS_WHITESPACE.intersection(word):
        return lambda element: False
    padded = f" {word} "

    def test(element: etree._Element) -> bool:
        found = element.get(name)
        return found is not None and word in found and padded in f" {_normalize_space(found)} "
    return test


def _normalize_space(text: str) -> str:
    """XPath's normalize-space(): XML whitespace runs become one space, none at either end."""
    return " ".join(_XML_WHITESPACE.split(text.strip(" \t\r\n")))


RankedTests = tuple[tuple[int, ElementTest], ...]


class SelectorDispatch:
    """Named selectors (each several, in order of trust) as tests looked up once per element name.

    For markup walked element by element (a comment's subtree): ``by_tag[name]`` lists, per selector name,
    the (rank, test) pairs an element called *name* may pass, most trusted first (rank 0); element names no
    selector names use ``any_tag``. Built once per profile, not per page.
    """

    def __init__(self, selectors: dict[str, tuple[ElementSelector, ...]]):
        self.selectors = selectors
        names = {tag for ranked in selectors.values() for selector in ranked for tag in selector.by_tag}
        self.by_tag: dict[str, tuple[tuple[str, RankedTests], ...]] = {tag: self._entries(tag) for tag in names}
        self.any_tag = self._entries(None)

    def _entries(self, tag: str | None) -> tuple[tuple[str, RankedTests], ...]:
        entries = []
        for name, ranked in self.selectors.items():
            tests = tuple((rank, test) for rank, selector in enumerate(ranked)
                          for test in (selector.by_tag.get(tag, selector.any_tag) if tag else selector.any_tag))
            if tests:
                entries.append((name, tests))
        return tuple(entries)

    def matches(self, name: str, element: etree._Element) -> bool:
        """Whether *element* matches one of the selectors called *name*."""
        return any(selector(element) for selector in self.selectors[name])
