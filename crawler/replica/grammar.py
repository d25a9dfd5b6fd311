"""A small phrase grammar, so a few hundred lines of text bank give readers tens of thousands of sentences.

A production is text holding ``<rule>`` (one of that rule's productions),
``[a|b|c]`` (one of the alternatives; an alternative may be empty, and may
hold rules and further alternatives) and ``{slot}`` (left for the caller to
fill with ``str.format_map``). :meth:`Grammar.expand` resolves the innermost
alternatives first, then rules, left to right, until only text and slots are
left, drawing from the caller's ``random.Random`` in a fixed order.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence

_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")
_RULE = re.compile(r"<([a-z_]+)>")
MAX_ROUNDS = 40  # deeper than any sensible bank nests: more means a rule refers to itself


class Grammar:
    """Named rules, each a list of productions (repeat one to make it likelier)."""

    def __init__(self, rules: Mapping[str, Sequence[str]]) -> None:
        self.rules = {name: list(productions) for name, productions in rules.items()}
        for name, productions in self.rules.items():
            if not productions:
                raise ValueError(f"grammar rule <{name}> has no productions")
            for production in productions:
                self._check(name, production)

    def _check(self, name: str, production: str) -> None:
        unknown = set(_RULE.findall(production)) - set(self.rules)
        if unknown:
            raise ValueError(f"grammar rule <{name}> refers to unknown rules {sorted(unknown)}: {production!r}")
        depth = 0
        for ch in production:
            depth += {"[": 1, "]": -1}.get(ch, 0)
            if depth < 0 or (ch == "|" and depth == 0):
                raise ValueError(f"grammar rule <{name}> has a stray ] or | outside [ ]: {production!r}")
        if depth:
            raise ValueError(f"grammar rule <{name}> leaves a [ open: {production!r}")

    def expand(self, rng: random.Random, text: str) -> str:
        """*text* with every rule and alternative resolved; ``{slots}`` are kept."""
        for _ in range(MAX_ROUNDS):
            resolved = _ALTERNATIVES.sub(lambda m: rng.choice(m.group(1).split("|")), text)
            if resolved == text:
                resolved = _RULE.sub(lambda m: rng.choice(self.rules[m.group(1)]), text)
                if resolved == text:
                    return text
            text = resolved
        raise ValueError(f"grammar expansion does not end (a rule refers to itself?): {text[:120]!r}")

    def pick(self, rng: random.Random, rule: str) -> str:
        """One production of *rule*, expanded."""
        return self.expand(rng, f"<{rule}>")
