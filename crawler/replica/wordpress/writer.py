"""The words on the WordPress replica: English posts and comments from the DLE replica's text banks, German ones here.

English stories reuse the bank of :mod:`crawler.replica.textbank` (read only)
and readers' sentences from :mod:`crawler.replica.remarks`; this module only
lays them out as WordPress saves them: block-editor ``<p>`` paragraphs,
``wptexturize``'s curly quotes as numeric entities, ``wpautop``'s paragraphs in
comments. German text (the opinion section and its letters to the editor)
comes from ``data/de.json``. Every function draws from the caller's
``random.Random`` in a fixed order.
"""

from __future__ import annotations

import functools
import html
import json
import random
import re
from datetime import datetime
from importlib import resources

from crawler.replica.remarks import Scene, Speaker
from crawler.replica.textbank import Topic, banks, fill

_DOUBLE_QUOTED = re.compile(r'"([^"]*)"')


@functools.cache
def german() -> dict[str, list[str]]:
    return json.loads(resources.files(__package__).joinpath("data/de.json").read_text("utf-8"))


def texturize(text: str) -> str:
    """Plain text as ``wptexturize`` prints it: escaped, with typographic quotes and dashes as entities."""
    text = html.escape(text, quote=False)
    text = _DOUBLE_QUOTED.sub(r"&#8220;\1&#8221;", text)
    return text.replace("'", "&#8217;").replace(" - ", " &#8211; ").replace("...", "&#8230;")


def english_story(rng: random.Random, topic: Topic) -> tuple[str, list[str]]:
    """A standfirst and the plain paragraphs of a story on *topic*."""
    kind = banks()["kinds"][topic.kind]
    standfirst = fill(rng.choice(kind["leads"]), topic.slots)
    sentences = rng.sample(kind["body"], len(kind["body"]))
    paragraphs: list[str] = []
    while sentences and len(paragraphs) < rng.randint(4, 7):
        take, sentences = sentences[: rng.randint(2, 3)], sentences[3:]
        if rng.random() < 0.25:
            take.append(rng.choice(banks()["generic_body"]))
        paragraphs.append(" ".join(fill(s, topic.slots) for s in take))
    if rng.random() < 0.5:
        quote = rng.choice(banks()["quotes"])
        paragraphs.insert(1, f"\u201c{quote},\u201d {topic.slots['official']} said.")
    paragraphs.append(fill(rng.choice(kind["closers"]), topic.slots))
    return standfirst, paragraphs


def german_story(rng: random.Random) -> list[str]:
    sentences = rng.sample(german()["body"], 12)
    return [" ".join(sentences[i : i + 3]) for i in range(0, 12, 3)]


def german_letter(rng: random.Random) -> list[str]:
    """A letter to the editor: one or two paragraphs of the reader's sentences."""
    said = rng.sample(german()["letters"], rng.randint(2, 4))
    if len(said) > 2 and rng.random() < 0.5:
        return [" ".join(said[:2]), " ".join(said[2:])]
    return [" ".join(said)]


def english_comment(rng: random.Random, scene: Scene) -> list[str]:
    """A reader's comment on a story: paragraphs of the grammar's sentences, a reply opening with its stance."""
    speaker = Speaker(rng, scene)
    said = [speaker.stance()] if scene.parent_author is not None and rng.random() < 0.6 else []
    said += speaker.sentences(rng.randint(1, 4), may_address=scene.parent_author is not None,
                              new_thread=scene.parent_author is None)
    if len(said) > 2 and rng.random() < 0.4:
        cut = rng.randint(1, len(said) - 1)
        return [" ".join(said[:cut]), " ".join(said[cut:])]
    return [" ".join(said)]


def scene_for(topic: Topic, posted: datetime, story_author: str, lead: str, author: str,
              parent_author: str | None) -> Scene:
    return Scene(kind=topic.kind, slots=topic.slots, posted=posted, story_author=story_author, lead=lead,
                 author=author, parent_author=parent_author)


def paragraphs_html(paragraphs: list[str]) -> str:
    """Comment text as ``comment_text()`` prints it (``wpautop``): one ``<p>`` per paragraph."""
    return "\n".join(f"<p>{texturize(p)}</p>" for p in paragraphs)
