"""Reader comments as DLE stores them after its BBCode parser has run.

A comment is one or more lines joined by ``<br>`` (DLE turns newlines into
``<br>``; an empty line between paragraphs gives ``<br><br>``). Replies often
quote their parent, a sentence or a fragment of it, now and then point by
point (``[quote]`` becomes the ``QuoteBegin``/``quote`` block,
``[quote=Name]`` adds a ``title_quote`` header); a new thread may quote the
article. Smileys become ``<img class="emoji">`` with the smiley's name as alt
text; links open in a new tab; quotes and apostrophes are stored as entities.
The words come from :mod:`crawler.replica.remarks`, the slips from
:mod:`crawler.replica.typos`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from crawler.replica.links import link
from crawler.replica.remarks import Scene, Speaker, comment_bank
from crawler.replica.templates import escape
from crawler.replica.textbank import EXTERNAL_LINK, banks
from crawler.replica.typos import roughen

SMILEY = '<img src="/engine/data/emoticons/{name}.gif" alt="{name}" class="emoji">'
QUOTE = '<!--QuoteBegin--><div class="quote"><!--QuoteEBegin-->{text}<!--QuoteEnd--></div><!--QuoteEEnd-->'
NAMED_QUOTE = (
    '<!--QuoteBegin {name} --><div class="title_quote">Quote: {name}</div>'
    '<div class="quote"><!--QuoteEBegin-->{text}<!--QuoteEnd--></div><!--QuoteEEnd-->'
)
# How many sentences a comment has: (share, fewest, most) for a one-liner, a usual comment, a long one, an essay.
SIZES = ((0.3, 0, 0), (0.45, 1, 2), (0.19, 3, 5), (0.06, 6, 11))
QUOTABLE_WORDS = 4  # shorter sentences ("Exactly!", "IMHO.") are seldom what a reply quotes
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True)
class CommentText:
    """A comment's stored HTML, its first line of own words, and the sentences a reply may quote."""

    html: str
    first_line: str
    sentences: tuple[str, ...] = ()


Lines = list[list[str]]  # lines of sentences; an empty line separates paragraphs


def _own_sentences(rng: random.Random, speaker: Speaker, reply: bool) -> list[str]:
    roll, size = rng.random(), SIZES[-1]
    for size in SIZES:
        roll -= size[0]
        if roll < 0:
            break
    _, fewest, most = size
    said = [speaker.stance()] if reply and rng.random() < 0.55 else []
    if most == 0:
        if not said or rng.random() < 0.5:
            said.append(speaker.say("short"))
        return said
    said += speaker.sentences(rng.randint(fewest, most), may_address=reply and not said, new_thread=not reply)
    if len(said) > 3 and rng.random() < 0.3:
        said.append(speaker.say("closer"))
    return said


def _layout(rng: random.Random, sentences: list[str]) -> Lines:
    """Sentences run on, one to a line, or in lines and paragraphs, as people type them."""
    if len(sentences) <= 3:
        return [sentences] if rng.random() < 0.65 else [[s] for s in sentences]
    lines: Lines = []
    rest = list(sentences)
    while rest:
        take = rng.randint(1, 3)
        lines.append(rest[:take])
        rest = rest[take:]
        if rest and len(sentences) >= 8 and rng.random() < 0.4:
            lines.append([])
    return lines


def _decorate(rng: random.Random, lines: Lines, scene: Scene) -> list[str]:
    """The lines as HTML: escaped, now and then with a smiley, bold or italics, a link."""
    out = [[escape(s) for s in line] for line in lines]
    filled = [line for line in out if line]
    if filled and rng.random() < 0.05:
        line = rng.choice(filled)
        i = rng.randrange(len(line))
        line[i] = f"<b>{line[i]}</b>" if rng.random() < 0.5 else f"<i>{line[i]}</i>"
    for _ in range(2 if rng.random() < 0.04 else 1 if rng.random() < 0.18 else 0):
        if filled:
            line = rng.choice(filled)
            i = rng.randrange(len(line))
            line[i] = f"{line[i]} {SMILEY.format(name=rng.choice(banks()['smileys']))}"
    html_lines = [" ".join(line) for line in out]
    if rng.random() < 0.06:
        href, text = link(rng, scene)
        pasted = EXTERNAL_LINK.format(href=escape(href), text=escape(text))
        if rng.random() < 0.6:
            pasted = f"{escape(rng.choice(comment_bank()['link_intros']))}: {pasted}"
        if rng.random() < 0.3:
            html_lines[-1] = f"{html_lines[-1]} {pasted}"
        else:
            html_lines.append(pasted)
    return html_lines


def _fragment(rng: random.Random, sentences: tuple[str, ...]) -> str:
    """What a reply quotes of its parent: a sentence, a run of them, or the start of one."""
    roll = rng.random()
    i = rng.randrange(len(sentences))
    if roll < 0.25:
        return " ".join(sentences[i : i + rng.randint(2, 3)])
    words = sentences[i].split()
    if roll < 0.45 and len(words) > 7:
        return " ".join(words[: rng.randint(4, len(words) - 2)]).rstrip(",:;") + "..."
    return sentences[i]


def _quote(rng: random.Random, text: str, name: str | None) -> str:
    if name is not None and rng.random() < 0.4:
        return NAMED_QUOTE.format(name=escape(name), text=escape(text))
    return QUOTE.format(text=escape(text))


def _is_quote(part: str) -> bool:
    return part.startswith("<!--Quote")


def _join(parts: list[str], after_quote: str) -> str:
    """Quote blocks and lines of text in order: a line break between lines, *after_quote* after a quote."""
    out = parts[:1]
    for previous, part in zip(parts, parts[1:]):
        if _is_quote(part):
            out.append("" if _is_quote(previous) else "<br>")
        else:
            out.append(after_quote if _is_quote(previous) else "<br>")
        out.append(part)
    return "".join(out)


def comment_text(rng: random.Random, scene: Scene, parent: CommentText | None) -> CommentText:
    """A new comment in *scene*; a reply to *parent* when given."""
    reply = parent is not None
    if reply and rng.random() < 0.02:
        smileys = " ".join(SMILEY.format(name=rng.choice(["laughing", "good", "wink", "bully"])) for _ in range(2))
        return CommentText(smileys, "")
    speaker = Speaker(rng, scene)
    sentences = _own_sentences(rng, speaker, reply)
    if rng.random() < 0.3:
        names = {scene.author, scene.parent_author, scene.story_author, speaker.slots.get("someone")}
        sentences = roughen(rng, sentences, frozenset(w for n in names if n for w in n.split()))
    lines = _layout(rng, sentences)
    own = _decorate(rng, lines, scene)
    first_line = " ".join(lines[0])
    quoted = parent.sentences if parent is not None else ()
    after_quote = rng.choice(["", "<br>"])
    if quoted and rng.random() < 0.35:
        if len(quoted) >= 2 and len(own) >= 2 and rng.random() < 0.15:
            first, second = sorted(rng.sample(range(len(quoted)), 2))
            half = len(own) // 2
            parts = [_quote(rng, quoted[first], None), *own[:half], _quote(rng, quoted[second], None), *own[half:]]
        else:
            parts = [_quote(rng, _fragment(rng, quoted), scene.parent_author), *own]
    elif not reply and scene.lead and rng.random() < 0.06:
        lead = _SENTENCE_END.split(scene.lead)
        parts = [_quote(rng, lead[0] if rng.random() < 0.5 else rng.choice(lead), None), *own]
    else:
        parts = own
    quotable = tuple(s for s in sentences if len(s.split()) >= QUOTABLE_WORDS) or tuple(sentences)
    return CommentText(_join(parts, after_quote), first_line, quotable)
