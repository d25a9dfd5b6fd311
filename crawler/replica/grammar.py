"""A small phrase grammar, so a few hundred lines of text bank give readers tens of thousands of sentences.

A production is text holding ``<rule>`` (one of that rule's productions),
``[a|b|c]`` (one of the alternatives; an alternative may be empty, and may
hold rules and further alternatives) and ``{slot}`` (left for the caller to
fill with ``str.format_map``). Productions are parsed once, when the grammar
is made (so a broken bank fails at start-up, naming the rule); expanding
walks them left to right, drawing from the caller's ``random.Random``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"<([a-z_]+)>|[\[\]|]|[^\[\]|<]+|<")
MAX_DEPTH = 40  # deeper than any sensible bank nests: more means a rule refers to itself


@dataclass(frozen=True)
class _Rule:
    name: str


@dataclass(frozen=True)
class _Choice:
    options: tuple[_Sequence, ...]


_Sequence = tuple["str | _Rule | _Choice", ...]


def _parse(text: str) -> tuple[_Sequence, set[str]]:
    """*text* as a sequence of literal text, rule references and choices, and the rule names it uses."""
    stack: list[list[list[str | _Rule | _Choice]]] = [[[]]]  # per open "[": its options, each a list of parts
    used: set[str] = set()
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == "[":
            stack.append([[]])
        elif token in ("|", "]") and len(stack) == 1:
            raise ValueError(f"a stray ] or | outside [ ]: {text!r}")
        elif token == "|":
            stack[-1].append([])
        elif token == "]":
            options = stack.pop()
            stack[-1][-1].append(_Choice(tuple(tuple(option) for option in options)))
        elif match.group(1):
            used.add(match.group(1))
            stack[-1][-1].append(_Rule(match.group(1)))
        else:
            stack[-1][-1].append(token)
    if len(stack) > 1:
        raise ValueError(f"it leaves a [ open: {text!r}")
    return tuple(stack[0][0]), used


class Grammar:
    """Named rules, each a list of productions (repeat one to make it likelier)."""

    def __init__(self, rules: Mapping[str, Sequence[str]]) -> None:
        self.rules = {name: list(productions) for name, productions in rules.items()}
        self._parsed: dict[str, list[_Sequence]] = {}
        for name, productions in self.rules.items():
            if not productions:
                raise ValueError(f"grammar rule <{name}> has no productions")
            self._parsed[name] = [self._parse(name, production) for production in productions]

    def _parse(self, name: str, production: str) -> _Sequence:
        try:
            parsed, used = _parse(production)
        except ValueError as e:
            raise ValueError(f"grammar rule <{name}> is malformed: {e}") from e
        unknown = used - set(self.rules)
        if unknown:
            raise ValueError(f"grammar rule <{name}> refers to unknown rules {sorted(unknown)}: {production!r}")
        return parsed

    def _walk(self, rng: random.Random, sequence: _Sequence, out: list[str], depth: int) -> None:
        if depth > MAX_DEPTH:
            raise ValueError(f"grammar expansion does not end (a rule refers to itself?): {''.join(out)[:120]!r}")
        for part in sequence:
            if isinstance(part, str):
                out.append(part)
                continue
            options = part.options if isinstance(part, _Choice) else self._parsed[part.name]
            # random() scaled is several times cheaper than choice(), and expansion is most of a comment's cost.
            self._walk(rng, options[int(rng.random() * len(options))], out, depth + 1)

    def expand(self, rng: random.Random, text: str) -> str:
        """*text* with every rule and alternative resolved; ``{slots}`` are kept."""
        parsed = self._parse("<text>", text)
        out: list[str] = []
        self._walk(rng, parsed, out, 0)
        return "".join(out)

    def production(self, rng: random.Random, rule: str, index: int) -> str:
        """Production *index* of *rule*, expanded."""
        out: list[str] = []
        self._walk(rng, self._parsed[rule][index], out, 0)
        return "".join(out)

    def pick(self, rng: random.Random, rule: str) -> str:
        """One production of *rule*, expanded."""
        return self.production(rng, rule, rng.randrange(len(self._parsed[rule])))
