"""The Russian site's database: fixed stories from ``data/ru_stories.json``, drawn ones from ``data/ru_bank.json``.

Ids grow with time: story ids with the publication date, comment ids with the
posting time across the site (the fixed archived comments carry their own
ids, below every drawn one; drawn comments get ten ids per minute from
2015-01-01, like the English site's).
"""

from __future__ import annotations

import functools
import random
from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from crawler.replica.content import SiteContent
from crawler.replica.dle.dates import MOSCOW
from crawler.replica.grammar import Grammar
from crawler.replica.model import Article, Comment, SiteInfo
from crawler.replica.templates import escape
from crawler.replica.textbank import load_json
from crawler.replica.threads import rating

RU_SITE = SiteInfo("ru", "Военный вестник", "https://voenvestnik.ru", "ru",
                   "Военный вестник: новости армии, вооружение, военная история и аналитика.",
                   "армия, вооружение, военные новости, история")  # fmt: skip
ARCHIVE_START = datetime(2015, 1, 10, 8, 0, tzinfo=MOSCOW)
ARCHIVE_END = datetime(2026, 10, 25, 20, 0, tzinfo=MOSCOW)
STORY_IDS = (6000, 40000)  # drawn stories' ids, spread over the archive by date
COMMENT_ID_ORIGIN = (datetime(2015, 1, 1, tzinfo=MOSCOW), 200000)
COMMENT_IDS_PER_MINUTE = 10
QUOTE = ('<!--QuoteBegin {name} --><div class="title_quote">Цитата: {name}</div><div class="quote"><!--QuoteEBegin-->'
         "{text}<!--QuoteEnd--></div><!--QuoteEEnd-->")  # fmt: skip
SMILEY = ('<!--smile:{name}--><img alt="{name}" class="emoji" src="https://voenvestnik.ru/engine/data/emoticons/{name}.gif">'
          "<!--/smile-->")  # DLE 14's parse.class.php


@functools.cache
def bank() -> dict[str, Any]:
    return load_json("ru_bank.json")


@functools.cache
def _grammar() -> Grammar:
    return Grammar(bank()["rules"])


_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
})  # fmt: skip


def translit(title: str) -> str:
    """DLE's ``totranslit``: the title in Latin letters, words joined by hyphens."""
    words = "".join(ch if ch.isalnum() else " " for ch in title.lower().translate(_LATIN)).split()
    return "-".join(words)[:80].rstrip("-")


def _when(spec: str | dict[str, Any], anchor: datetime) -> datetime:
    """A fresh story's time: ``{"yesterday": "HH:MM"}`` or ``{"today_before_minutes": N}`` (never before midnight)."""
    if isinstance(spec, str):
        return datetime.fromisoformat(spec)
    midnight = anchor.astimezone(MOSCOW).replace(hour=0, minute=0)
    if "yesterday" in spec:
        return datetime.combine((midnight - timedelta(days=1)).date(), time.fromisoformat(spec["yesterday"]),
                                MOSCOW)  # fmt: skip
    return max(midnight, anchor - timedelta(minutes=spec["today_before_minutes"]))


def _fixed(data: dict[str, Any], anchor: datetime) -> Article:
    paragraphs = data["paragraphs"]
    article = Article(
        id=data["id"], slug=data["slug"], title=data["title"], section=data["section"], author=data["author"],
        posted=_when(data["posted"], anchor), tags=tuple(data["tags"]), topic=None, text_seed=f"ru/{data['id']}",
        views=data["views"], rating=data["rating"], body_html="<br><br>".join(paragraphs),
        teaser=paragraphs[0].split(". ")[0] + ".",
    )  # fmt: skip
    made: list[Comment] = []
    for entry in data["comments"]:
        parent = None if entry["parent"] is None else made[entry["parent"]]
        comment = Comment(article.id, parent, entry["author"], _when(entry["posted"], anchor), entry["rating"],
                          deleted=entry.get("deleted", False), html=entry["html"],
                          pinned_id=entry.get("id"))  # fmt: skip
        comment.id = entry.get("id", 0)
        made.append(comment)
        (article.threads if parent is None else parent.replies).append(comment)
    return article


def _title(rng: random.Random) -> tuple[str, dict[str, str]]:
    b = bank()
    unit = rng.choice(b["units"])
    slots = {"system": rng.choice(b["systems"]), "place": rng.choice(b["places"]), "unit_cap": unit.capitalize(),
             "unit_gen": b["units_gen"][unit], "number": str(rng.randrange(300, 3000, 50)),
             "small": str(rng.randrange(20, 200, 5)), "km": str(rng.randrange(50, 400, 10)),
             "year": str(rng.randint(2016, 2030))}  # fmt: skip
    title = rng.choice(b["titles"]).format_map(slots)
    return title[:1].upper() + title[1:], slots


def _comment_html(rng: random.Random, parent: Comment | None) -> str:
    grammar = _grammar()
    if parent is None:
        text = escape(grammar.pick(rng, "comment"))
    else:
        text = escape(grammar.pick(rng, "reply").replace("{parent}", parent.author))
        if parent.html and rng.random() < 0.35:
            quoted = parent.html.split("<!--QuoteEEnd-->")[-1].split("<br>")[0].split(" <img")[0]
            text = QUOTE.format(name=escape(parent.author), text=quoted) + text
    if rng.random() < 0.12:
        text += " " + SMILEY.format(name=rng.choice(["wink", "good", "laughing", "negative"]))
    return text


def _discussion(rng: random.Random, article: Article, until: datetime) -> None:
    """Up to 40 comments in threads, each answering one of the last few, every one later than its parent."""
    count = rng.choice([0, 0, rng.randint(1, 6), rng.randint(5, 40)])
    names = bank()["nicknames"]
    made: list[Comment] = []
    when = article.posted
    for _ in range(count):
        when += timedelta(minutes=1 + int(rng.expovariate(1 / 25)))
        if when > until:
            break
        parent = None if not made or rng.random() < 0.45 else made[-1 - min(int(rng.expovariate(0.5)), len(made) - 1)]
        author = rng.choice([n for n in names if parent is None or n != parent.author])
        comment = Comment(article.id, parent, author, when, rating(rng), deleted=count > 10 and rng.random() < 0.03,
                          html=_comment_html(rng, parent))  # fmt: skip
        made.append(comment)
        (article.threads if parent is None else parent.replies).append(comment)


def _drawn(seed: int, count: int, anchor: datetime, titles: set[str]) -> list[Article]:
    rng = random.Random(f"ru/{seed}")
    days = (ARCHIVE_END - ARCHIVE_START).days
    chosen: set[datetime] = set()
    while len(chosen) < count:
        chosen.add(ARCHIVE_START + timedelta(days=rng.randrange(days), minutes=rng.randrange(12 * 60)))
    times = sorted(chosen)
    low, high = STORY_IDS
    stories = []
    for index, when in enumerate(times):
        article_id = low + (high - low) * index // max(1, len(times))
        story_rng = random.Random(f"ru/{seed}/{article_id}")
        title, slots = _title(story_rng)
        while title in titles:
            title, slots = _title(story_rng)
        titles.add(title)
        b = bank()
        paragraphs = [f"{title}. {story_rng.choice(b['leads'])}"]
        sentences = story_rng.sample(b["body"], 6)
        paragraphs += [" ".join(s.format_map(slots) for s in sentences[i : i + 2]) for i in range(0, 6, 2)]
        article = Article(
            id=article_id, slug=translit(title), title=title, section=story_rng.choice(sorted(b["sections"])),
            author=story_rng.choice(b["authors"]), posted=when, tags=(slots["system"].strip("«»"),
            story_rng.choice(b["tags_extra"])), topic=None, text_seed=f"ru/{seed}/{article_id}",
            views=story_rng.randint(200, 9000), rating=story_rng.randint(-3, 25),
            body_html="<br><br>".join(escape(p) for p in paragraphs), teaser=paragraphs[0],
        )  # fmt: skip
        _discussion(story_rng, article, anchor)
        stories.append(article)
    return stories


def _assign_comment_ids(stories: list[Article]) -> None:
    """Ten ids per minute of posting time for every comment without a fixed id, fresh stories' first."""
    per_minute: dict[int, int] = defaultdict(int)
    pending = sorted(
        ((c.posted, 0 if a.id >= STORY_IDS[1] else 1, a.id, i, c)
         for a in stories for i, c in enumerate(a.comments()) if c.pinned_id is None),
        key=lambda entry: entry[:4],
    )  # fmt: skip
    for posted, _, _, _, comment in pending:
        minute = int((posted - COMMENT_ID_ORIGIN[0]).total_seconds() // 60)
        rank = per_minute[minute]
        if rank >= COMMENT_IDS_PER_MINUTE:
            raise RuntimeError(f"more than {COMMENT_IDS_PER_MINUTE} comments in one minute on the Russian site")
        per_minute[minute] += 1
        comment.id = COMMENT_ID_ORIGIN[1] + minute * COMMENT_IDS_PER_MINUTE + rank


def build(seed: int, anchor: datetime, articles: int) -> SiteContent:
    """The Russian site for *seed* as of *anchor*, *articles* stories on its main listing."""
    data = load_json("ru_stories.json")
    fixed = [_fixed(d, anchor) for d in data["archived"] + data["fresh"]]
    if not len(fixed) <= articles <= 2000:
        raise ValueError(f"the Russian site has from {len(fixed)} (the fixed stories) to 2000 articles, not {articles}")
    stories = sorted(fixed + _drawn(seed, articles - len(fixed), anchor, {a.title for a in fixed}),
                     key=lambda a: a.posted, reverse=True)  # fmt: skip
    _assign_comment_ids(stories)
    by_section: dict[str, list[Article]] = defaultdict(list)
    by_tag: dict[str, list[Article]] = defaultdict(list)
    for article in stories:
        by_section[article.section].append(article)
        for tag in article.tags:
            by_tag[tag].append(article)
    return SiteContent(seed=seed, anchor=anchor, stories=stories, articles={a.id: a for a in stories}, blogs={},
                       sections=dict(bank()["sections"]), by_section=dict(by_section), by_tag=dict(by_tag),
                       site=RU_SITE)  # fmt: skip
