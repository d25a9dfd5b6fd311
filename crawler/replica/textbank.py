"""News prose from the text banks in ``data/banks.json``: topics, titles, article bodies.

An article is written around one :class:`Topic` (a kind of story plus the
country, weapon system, source... it talks about), so its title, sentences and
tags agree with each other. Every function takes the caller's ``random.Random``
and draws from it in a fixed order, so the same seed writes the same article.
Bodies come out as DLE editors save them: ``<p>`` paragraphs or text split by
``<br><br>``, a centred image between paragraphs, inline links, typographic
quotes, ``&nbsp;`` and the odd stray whitespace.
"""

from __future__ import annotations

import functools
import html
import json
import random
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from crawler.replica.templates import escape

EXTERNAL_LINK = '<a href="{href}" target="_blank" rel="noopener external noreferrer">{text}</a>'
IMAGE_BLOCK = (
    '<div style="text-align:center;"><!--dle_image_begin:https://en.topwar.ru{src}|-->'
    '<img src="{src}" style="max-width:100%;" alt="{alt}"><!--dle_image_end--></div>'
)


# Plausible firing ranges by kind of weapon, for "hit a target at a distance of N km".
RANGES_KM = {"missile": (150, 1500), "air_defence": (12, 250), "artillery": (18, 70), "drone": (20, 300),
             "fighter": (60, 200), "tank": (2, 5), "armour": (2, 4), "helicopter": (5, 15)}  # fmt: skip


@functools.cache
def banks() -> dict[str, Any]:
    """The text banks, read once per process."""
    return json.loads(resources.files(__package__).joinpath("data/banks.json").read_text("utf-8"))


def load_json(name: str) -> dict[str, Any]:
    """A JSON file from the package's ``data/`` folder."""
    return json.loads(resources.files(__package__).joinpath(f"data/{name}").read_text("utf-8"))


@dataclass(frozen=True)
class Topic:
    """What one article is about: its kind of story and the words that fill its templates."""

    kind: str
    section: str
    slots: dict[str, str]
    tags: tuple[str, ...]


def _country_tag(name: str) -> str:
    return name.removeprefix("the ")


def make_topic(rng: random.Random, year: int, kind: str | None = None, system_group: str | None = None) -> Topic:
    """A topic for an article published in *year*: of *kind* and about a *system_group* weapon if given."""
    b = banks()
    kind_name = kind or rng.choice(sorted(b["kinds"]))
    spec = b["kinds"][kind_name]
    country = rng.choice(b["countries"])
    slots = {
        "country": country["name"],
        "country_adj": country["adj"],
        "capital": country["capital"],
        "source": rng.choice(b["sources"]),
        "place": rng.choice(b["places"]),
        "number": str(rng.choice([2, 3, 4, 6, 8, 10, 12, 14, 16, 24, 36, 48])),
        "big_number": f"{rng.randrange(12, 250) * 100:,}",
        "year": str(year + rng.randint(1, 6)),
        "sum": f"${rng.randint(2, 95) / 10:.1f} billion",
        "weekday": rng.choice(b["weekdays"]),
        "speed": str(rng.randrange(600, 3000, 50)),
        "percent": str(rng.randrange(10, 45, 5)),
        "crew": str(rng.randint(2, 5)),
        "knots": str(rng.randint(24, 32)),
        "days": str(rng.randint(5, 30)),
        "hist_system": rng.choice(b["hist_systems"]),
        "hist_designer": rng.choice(b["hist_designers"]),
        "battle": rng.choice(b["battles"]),
        "hist_year": str(rng.randint(1941, 1945)),
    }
    tags = [_country_tag(country["name"])]
    if spec["systems"]:
        group = system_group or rng.choice(spec["systems"])
        system = rng.choice(b["systems"][group])
        low, high = RANGES_KM.get(group, (40, 400))
        slots["range_km"] = str(rng.randint(low, high))
        slots |= {"system": system["name"], "type": system["type"], "types": system["types"], "maker": system["maker"]}
        tags += [system["name"], _country_tag(system["origin"])]
    else:
        slots |= {"system": slots["hist_system"], "type": "", "types": "", "maker": slots["hist_designer"]}
        tags = [slots["hist_system"], "Great Patriotic War"]
    slots["official"] = rng.choice(b["officials"]).format_map(slots)
    tags.append(rng.choice(b["tags_extra"]))
    return Topic(kind_name, rng.choice(spec["sections"]), slots, tuple(dict.fromkeys(tags)))


def fill(template: str, slots: dict[str, str]) -> str:
    """*template* with its ``{slot}`` names filled, starting with a capital letter."""
    text = template.format_map(slots).replace("  ", " ")
    return text[:1].upper() + text[1:]


def title_for(rng: random.Random, topic: Topic) -> str:
    return fill(rng.choice(banks()["kinds"][topic.kind]["titles"]), topic.slots)


def slugify(title: str) -> str:
    """DLE's ``alt_name``: the title lower-cased, words joined by hyphens, at most 80 characters."""
    words = re.findall(r"[a-z0-9]+", title.lower().replace("'", "").replace("’", ""))
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 80:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


@dataclass(frozen=True)
class Body:
    """An article body: the stored HTML and the teaser a listing shows."""

    html: str
    teaser: str


def _paragraphs(rng: random.Random, topic: Topic) -> list[str]:
    b = banks()
    kind = b["kinds"][topic.kind]
    count = rng.randint(3, 10)
    sentences = rng.sample(kind["body"], len(kind["body"]))
    paragraphs = [fill(rng.choice(kind["leads"]), topic.slots)]
    while len(paragraphs) < count - 1 and sentences:
        take = min(rng.randint(1, 3), len(sentences))
        chosen, sentences = sentences[:take], sentences[take:]
        if rng.random() < 0.2:
            chosen.append(rng.choice(b["generic_body"]))
        paragraphs.append(" ".join(fill(s, topic.slots) for s in chosen))
    if rng.random() < 0.35:
        quote = rng.choice(b["quotes"])
        paragraphs.insert(min(2, len(paragraphs)), f"“{quote},” {topic.slots['official']} said.")
    paragraphs.append(fill(rng.choice(kind["closers"]), topic.slots))
    return paragraphs


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _linked_source(paragraph: str, slots: dict[str, str]) -> str:
    source = slots["source"]
    href = banks()["source_links"].get(source)
    if href is None or source not in paragraph:
        return paragraph
    return paragraph.replace(source, EXTERNAL_LINK.format(href=href, text=source), 1)


def body_for(rng: random.Random, topic: Topic, title: str, image_src: str | None) -> Body:
    """The full story of an article on *topic*, with *image_src* after the first or second paragraph."""
    plain = _paragraphs(rng, topic)
    parts = [_escape(p) for p in plain]
    parts[0] = _linked_source(parts[0], topic.slots)
    if rng.random() < 0.3:
        parts = [re.sub(r"(\d) (?=[a-z])", "\\1&nbsp;", p) for p in parts]
    if rng.random() < 0.3:
        parts[0] = f"<b>{parts[0]}</b>"
    for i, p in enumerate(parts):
        if p.startswith("“") and rng.random() < 0.5:
            parts[i] = f"<blockquote>{p}</blockquote>"
    if image_src is not None:
        parts.insert(rng.randint(1, 2), IMAGE_BLOCK.format(src=image_src, alt=escape(title)))
    return Body(_join(rng, parts), teaser=plain[0])


_BLOCKS = ("<div", "<blockquote")


def _join(rng: random.Random, parts: list[str]) -> str:
    """Parts joined the way one editor or another saved them."""
    style = rng.choice(["p", "br", "br", "mixed"])
    if style == "p":
        return "\n".join(p if p.startswith(_BLOCKS) else f"<p>{p}</p>" for p in parts)
    if style == "br":
        out = []
        for i, p in enumerate(parts):
            out.append(p)
            if i + 1 < len(parts) and not p.startswith(_BLOCKS) and not parts[i + 1].startswith(_BLOCKS):
                out.append("<br><br>")
        return "".join(out) + rng.choice(["", " ", "\r\n"])
    return " " + "<br><br>\n".join(parts) + "\n"
