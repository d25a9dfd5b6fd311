"""Reader comments as DLE stores them after its BBCode parser has run.

A comment is one or more lines joined by ``<br>`` (DLE turns newlines into
``<br>``); replies often quote their parent (``[quote]`` becomes the
``QuoteBegin``/``quote`` block, ``[quote=Name]`` adds a ``title_quote``
header); smileys become ``<img class="emoji">`` with the smiley's name as alt
text; links open in a new tab; quotes and apostrophes are stored as entities.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from crawler.replica.templates import escape
from crawler.replica.textbank import EXTERNAL_LINK, banks, fill

SMILEY = '<img src="/engine/data/emoticons/{name}.gif" alt="{name}" class="emoji">'
QUOTE = '<!--QuoteBegin--><div class="quote"><!--QuoteEBegin-->{text}<!--QuoteEnd--></div><!--QuoteEEnd-->'
NAMED_QUOTE = (
    '<!--QuoteBegin {name} --><div class="title_quote">Quote: {name}</div>'
    '<div class="quote"><!--QuoteEBegin-->{text}<!--QuoteEnd--></div><!--QuoteEEnd-->'
)


@dataclass(frozen=True)
class CommentText:
    """A comment's stored HTML, and its first line of own words (what a reply would quote)."""

    html: str
    first_line: str


def _lines(rng: random.Random, slots: dict[str, str], is_reply: bool) -> tuple[str | None, list[str]]:
    """An optional one-word answer to the parent, then the comment's own lines."""
    b = banks()
    roll = rng.random()
    if roll < 0.3:
        lines = [rng.choice(b["comment_short"])]
    elif roll < 0.9:
        lines = [fill(line, slots) for line in rng.sample(b["comment_lines"], rng.randint(1, 3))]
    else:
        lines = [fill(line, slots) for line in rng.sample(b["comment_lines"], rng.randint(4, 6))]
    opener = rng.choice(b["comment_replies"]) if is_reply and rng.random() < 0.4 else None
    return opener, lines


def comment_text(
    rng: random.Random, slots: dict[str, str], parent: CommentText | None, parent_author: str | None
) -> CommentText:
    """A new comment on an article about *slots*; a reply when *parent* is given."""
    opener, lines = _lines(rng, slots, parent is not None)
    first_line = lines[0]
    if opener is not None:
        lines.insert(0, opener)
    out = [escape(line) for line in lines]
    if rng.random() < 0.05:
        out[-1] = f"<b>{out[-1]}</b>" if rng.random() < 0.5 else f"<i>{out[-1]}</i>"
    if rng.random() < 0.18:
        name = rng.choice(banks()["smileys"])
        i = rng.randrange(len(out))
        out[i] = f"{out[i]} {SMILEY.format(name=name)}"
    if rng.random() < 0.05:
        href, text = rng.choice(banks()["comment_links"])
        out.append(f"Here: {EXTERNAL_LINK.format(href=href, text=escape(text))}")
    body = "<br>".join(out)
    if parent is not None and rng.random() < 0.35:
        if parent_author is not None and rng.random() < 0.4:
            quote = NAMED_QUOTE.format(name=escape(parent_author), text=escape(parent.first_line))
        else:
            quote = QUOTE.format(text=escape(parent.first_line))
        body = quote + rng.choice(["", "<br>"]) + body
    return CommentText(body, first_line)
