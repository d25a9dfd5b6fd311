"""What readers say: the plain-text sentences of a comment, from the phrase grammar in ``data/comments.json``.

Each sentence has a mood (an opinion, a question, sarcasm, a memory of the
army, a figure, a word to the author) and is drawn from the grammar, then
filled with the story's topic (its weapon, country, maker) and with numbers,
years and prices drawn for the comment, so the same phrasing seldom says the
same thing twice. A reply may agree, disagree or ask, naming the reader it
answers; any sentence may name another reader or the story's author.
Nicknames are written exactly as registered, lower-case ones included.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any

from crawler.replica.grammar import Grammar
from crawler.replica.textbank import banks

MOODS = {"opinion": 34, "question": 14, "sarcasm": 12, "numbers": 12, "experience": 7}
HISTORY_MOODS = {"history_opinion": 40, "history_question": 14, "history_memory": 16}
STANCES = {"agree": 40, "disagree": 35, "ask_parent": 25}
CITABLE = ("opinion", "numbers", "history_opinion")  # moods that read well after "As Name rightly noted above,"
_NAME_SLOTS = ("{parent}", "{someone}", "{story_author}")


@functools.cache
def comment_bank() -> dict[str, Any]:
    """``data/comments.json``, read once per process."""
    return json.loads(resources.files(__package__).joinpath("data/comments.json").read_text("utf-8"))


@functools.cache
def grammar() -> Grammar:
    return Grammar(comment_bank()["rules"])


@dataclass(frozen=True)
class Scene:
    """What a comment is written about, and among whom."""

    kind: str  # the kind of story (see :class:`crawler.replica.textbank.Topic`); history has its own talk
    slots: Mapping[str, str]  # the story's topic
    posted: datetime  # the story's publication time
    story_author: str
    lead: str  # the story's first paragraph, plain text
    author: str  # who writes the comment
    parent_author: str | None  # whom it answers; None for a new thread


class _Slots(dict):
    """The topic's slots, then figures, years and another reader's name, drawn as the text asks for them."""

    def __init__(self, rng: random.Random, scene: Scene) -> None:
        super().__init__(scene.slots, story_author=scene.story_author)
        if scene.parent_author is not None:
            self["parent"] = scene.parent_author
        self.rng, self.scene = rng, scene

    def __missing__(self, key: str) -> str:
        value = self._draw(key)
        if key == "someone":  # the same reader throughout; figures are drawn afresh wherever they appear
            self[key] = value
        return value

    def _draw(self, key: str) -> str:
        rng, year = self.rng, self.scene.posted.year
        numbers = {
            "n": lambda: rng.randint(10, 99),
            "n_small": lambda: rng.randint(2, 9),
            "n_small2": lambda: rng.randint(0, 9),
            "n_big": lambda: rng.randrange(100, 950, 50),
            "pct": lambda: rng.randrange(5, 96, 5),
            "years": lambda: rng.randint(3, 30),
            "range_km": lambda: rng.randint(5, 60),  # a story with no weapon system has no range of its own
            "future_year": lambda: year + rng.randint(1, 9),
            "past_year": lambda: rng.randint(1972, min(year - 3, 2015)),
            "recent_year": lambda: year - rng.randint(1, 6),
        }
        if key in numbers:
            return str(numbers[key]())
        if key == "decade":
            return rng.choice(["seventies", "eighties", "nineties", "2000s", "80s", "90s"])
        if key == "nth":
            return rng.choice(["third", "fifth", "tenth", "umpteenth", "hundredth"])
        if key == "someone":
            taken = {self.scene.author, self.scene.parent_author}
            return rng.choice([n for n in banks()["nicknames"] if n not in taken])
        if key in ("thing", "things"):
            return self._subject(key)
        raise KeyError(f"no value for the comment slot {{{key}}}")

    def _subject(self, key: str) -> str:
        """How a reader names the story's weapon: by name, or by kind when it has one."""
        kind, kinds = self.scene.slots.get("type", ""), self.scene.slots.get("types", "")
        if key == "things":
            return kinds or self.rng.choice(["weapons", "machines"])
        forms = ["the {system}", "{system}", "this {system}"] + (["this {type}", "the new {type}"] if kind else [])
        return self.rng.choice(forms).format_map(self.scene.slots)


def _tidy(text: str) -> str:
    """One space between words, none before punctuation."""
    text = " ".join(text.split())
    for mark in (",", ".", "?", "!", ":", ")"):
        text = text.replace(f" {mark}", mark)
    return text


def _lower_first(template: str) -> str:
    if template.startswith(("{", "I ", "I'")):
        return template
    return template[:1].lower() + template[1:]


class Speaker:
    """One reader writing one comment: sentences in the comment's voice, drawn from its own generator.

    A comment never uses the same production of a rule twice, so its sentences differ in shape, not just in words.
    """

    def __init__(self, rng: random.Random, scene: Scene) -> None:
        self.rng = rng
        self.scene = scene
        self.slots = _Slots(rng, scene)
        self._used: set[tuple[str, int]] = set()
        self._moods = HISTORY_MOODS if scene.kind == "history" else MOODS

    def _production(self, rule: str) -> str:
        """A production of *rule* this comment has not used yet (any, once all have been), expanded."""
        count = len(grammar().rules[rule])
        index = self.rng.randrange(count)
        if (rule, index) in self._used:
            index = self.rng.choice([i for i in range(count) if (rule, i) not in self._used] or range(count))
        self._used.add((rule, index))
        return grammar().production(self.rng, rule, index)

    def say(self, rule: str, prefix: str = "") -> str:
        """One sentence of grammar rule *rule*, after one of rule *prefix* (an address, a reference to a reader)."""
        template = _tidy(self._production(rule))
        if prefix:
            template = _tidy(grammar().pick(self.rng, prefix)) + " " + _lower_first(template)
        text = template.format_map(self.slots)
        return text if template.startswith(_NAME_SLOTS) else text[:1].upper() + text[1:]

    def stance(self) -> str:
        """A reply's opening: agreeing, disagreeing or asking, often by the parent's name."""
        return self.say(self.rng.choices(list(STANCES), weights=list(STANCES.values()))[0])

    def _prefix(self, mood: str, may_address: bool) -> str:
        """Now and then a sentence addresses the parent's author, or (a statement) cites another reader."""
        roll = self.rng.random()
        if may_address and roll < 0.25:
            return "address"
        if mood in CITABLE and roll > 0.95:
            return "reference"
        return ""

    def sentences(self, count: int, may_address: bool, new_thread: bool) -> list[str]:
        """*count* sentences of mixed moods; the first may address the parent's author, or speak of the article."""
        said: list[str] = []
        for _ in range(count * 2):  # a repeated sentence is dropped; give up after as many draws again
            if len(said) == count:
                break
            if not said and new_thread and self.rng.random() < 0.1:
                sentence = self.say("article")
            else:
                mood = self.rng.choices(list(self._moods), weights=list(self._moods.values()))[0]
                sentence = self.say(mood, self._prefix(mood, may_address and not said))
            if sentence not in said:
                said.append(sentence)
        return said
