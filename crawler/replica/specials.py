"""The stories every replica has, whatever its seed: the seed article, the faults, the fresh news.

Their ids, dates, titles, comment trees and texts never depend on the site
seed (each draws from a generator seeded by its own id), so the URLs and ids
listed in the package docstring hold for every seed. The fresh stories are
placed relative to the clock anchor, so their dates render as "Today, 14:05"
or "5 minutes ago" when the site is read soon after it starts.
"""

from __future__ import annotations

import html
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crawler.replica.clock import MSK, DateStyle, Relative
from crawler.replica.model import Article, Comment, Kind, ScoreStyle
from crawler.replica.templates import escape
from crawler.replica.textbank import (
    EXTERNAL_LINK,
    IMAGE_BLOCK,
    banks,
    load_json,
    make_topic,
    slugify,
    title_for,
)
from crawler.replica.threads import ThreadPlan, grow, rating


@dataclass(frozen=True)
class Special:
    """One fixed story: when it was posted, what it is about and how its page misbehaves."""

    key: str
    id: int
    posted: datetime
    topic_kind: str
    plan: ThreadPlan
    system_group: str | None = None
    kind: Kind = Kind.NORMAL
    score_style: ScoreStyle = ScoreStyle.STANDARD
    ratings: tuple[int, ...] = ()  # forced ratings of the first comments
    bad_dates: dict[int, str] = field(default_factory=dict)  # comment index -> shown date text


def _msk(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


ARCHIVED = (
    Special("rating-disabled", 175112, _msk(2020, 1, 14, 10, 20), "history", ThreadPlan(14, 9),
            score_style=ScoreStyle.DISABLED),
    Special("iso-dates", 186010, _msk(2021, 3, 22, 9, 40), "test", ThreadPlan(23, 12, DateStyle.ISO)),
    Special("plain-dates", 193377, _msk(2021, 11, 2, 17, 15), "naval",
            ThreadPlan(18, 10, DateStyle.PLAIN, deleted_with_replies=True), ratings=(-3, 2, 0)),
    Special("numeric-dates", 201554, _msk(2022, 7, 19, 11, 0), "analysis", ThreadPlan(27, 15, DateStyle.NUMERIC)),
    Special("malformed-json", 207880, _msk(2023, 1, 25, 8, 30), "analysis", ThreadPlan(118, 52, mean_gap_minutes=6)),
    Special("big", 213406, _msk(2023, 6, 14, 12, 10), "analysis",
            ThreadPlan(652, 318, mean_gap_minutes=4, russian_share=0.02, deleted_share=0.015,
                       deleted_with_replies=True, deep_chain=8),
            system_group="tank"),
    Special("padded-scores", 226718, _msk(2024, 9, 5, 19, 45), "test", ThreadPlan(16, 9),
            system_group="air_defence", score_style=ScoreStyle.PADDED, ratings=(15, -3, 0, 2)),
    Special("bad-dates", 238250, _msk(2025, 12, 3, 10, 10), "exercise", ThreadPlan(12, 8),
            bad_dates={3: "31 Smarch 2020 25:61", 6: ""}),
    Special("no-comments", 244120, _msk(2026, 5, 18, 7, 50), "delivery", ThreadPlan(0, 0)),
    Special("renamed", 247610, _msk(2026, 10, 26, 13, 30), "naval", ThreadPlan(6, 4)),
    Special("missing-title", 247705, _msk(2026, 10, 28, 9, 5), "delivery", ThreadPlan(5, 3),
            kind=Kind.MISSING_TITLE),
    Special("gone", 247744, _msk(2026, 10, 29, 16, 20), "diplomacy", ThreadPlan(4, 3), kind=Kind.GONE),
    Special("truncated", 247801, _msk(2026, 10, 30, 11, 45), "test", ThreadPlan(9, 6),
            system_group="artillery", kind=Kind.TRUNCATED),
    Special("blog", 3117, _msk(2026, 10, 30, 20, 10), "exercise", ThreadPlan(3, 3), kind=Kind.BLOG),
)  # fmt: skip

BLOG_TITLE = "Notes of a reservist: a week at the training camp"


def _article_for(special: Special, until: datetime) -> Article:
    """A fixed story whose text is written from its own topic."""
    rng = random.Random(f"special/{special.id}")
    topic = make_topic(rng, special.posted.year, kind=special.topic_kind, system_group=special.system_group)
    title = BLOG_TITLE if special.kind is Kind.BLOG else title_for(rng, topic)
    article = Article(
        id=special.id,
        slug=slugify(title),
        title="" if special.kind is Kind.MISSING_TITLE else title,
        section="blogs" if special.kind is Kind.BLOG else topic.section,
        author=rng.choice(banks()["authors"]),
        posted=special.posted,
        tags=topic.tags,
        topic=topic,
        text_seed=f"special/{special.id}",
        kind=special.kind,
        views=rng.randint(800, 9000) + 40 * special.plan.count,
        rating=rng.randint(-4, 30),
        score_style=special.score_style,
    )
    if special.key == "renamed":
        old_title = title
        while slugify(old_title) == article.slug:
            old_title = title_for(rng, topic)
        article.listed_slug = slugify(old_title)
    article.threads = grow(rng, special.id, special.posted, special.plan, until)
    in_time_order = sorted(article.comments(), key=lambda c: c.posted)
    for comment, forced in zip([c for c in in_time_order if not c.deleted], special.ratings, strict=False):
        comment.rating = forced
    for index, text in special.bad_dates.items():
        in_time_order[index].date_text = text
    return article


def archived(until: datetime) -> list[Article]:
    """The fixed stories of the archive, the seed article and the windows-1251 one included."""
    stories = [_article_for(special, until) for special in ARCHIVED]
    stories.append(_fixed_article("seed_article.json", Kind.NORMAL, DateStyle.TRANSLATED))
    stories.append(_fixed_article("russian_article.json", Kind.CP1251, DateStyle.RUSSIAN))
    return stories


def _fixed_body(data: dict) -> str:
    """Paragraphs as the editor saved them, split by ``<br><br>``, the photo in its place."""
    paragraphs = [html.escape(p, quote=False) for p in data["paragraphs"]]
    link = data.get("bloomberg_link")
    if link:
        paragraphs[0] = paragraphs[0].replace("Bloomberg", EXTERNAL_LINK.format(href=link, text="Bloomberg"), 1)
    image = IMAGE_BLOCK.format(src=data["image"]["src"], alt=escape(data["title"]))
    after = data["image"]["after_paragraph"]
    return "<br><br>".join(paragraphs[:after]) + image + "<br><br>".join(paragraphs[after:])


def _fixed_article(name: str, kind: Kind, date_style: DateStyle) -> Article:
    """A story whose every word is fixed in ``data/``: the seed article, the Russian one."""
    data = load_json(name)
    article = Article(
        id=data["id"],
        slug=data["slug"],
        title=data["title"],
        section=data["section"],
        author=data["author"],
        posted=datetime.fromisoformat(data["posted"]),
        tags=tuple(data["tags"]),
        topic=None,
        text_seed=f"fixed/{data['id']}",
        kind=kind,
        views=data["views"],
        rating=data["rating"],
        body_html=_fixed_body(data),
        teaser=data["paragraphs"][0].split(". ")[0] + ".",
        photo_credit=data["photo_credit"],
        image_src=data["image"]["src"],
    )
    comments: list[Comment] = []
    for entry in data["comments"]:
        parent = None if entry["parent"] is None else comments[entry["parent"]]
        comment = Comment(
            article_id=article.id,
            parent=parent,
            author=entry["author"],
            posted=datetime.fromisoformat(entry["posted"]),
            rating=entry["rating"],
            date_style=date_style,
            html=entry["html"],
            pinned_id=entry.get("id"),
        )
        comments.append(comment)
        (article.threads if parent is None else parent.replies).append(comment)
    return article


@dataclass(frozen=True)
class FreshComment:
    """A comment on a fresh story, placed relative to the clock anchor."""

    posted: datetime
    date_style: DateStyle = DateStyle.TRANSLATED
    parent: int | None = None  # index of the comment it answers


def fresh(anchor: datetime) -> list[Article]:
    """The newest stories, posted in the days and hours before *anchor* (a whole minute, Moscow time)."""
    midnight = anchor.replace(hour=0, minute=0)
    yesterday = midnight - timedelta(days=1)

    def today(before: timedelta) -> datetime:
        return min(anchor, max(midnight, anchor - before))

    ru = DateStyle.RUSSIAN
    calendar = [
        FreshComment(yesterday + timedelta(hours=9, minutes=12)),
        FreshComment(yesterday + timedelta(hours=11, minutes=47), parent=0),
        FreshComment(yesterday + timedelta(hours=21, minutes=40), ru),
        FreshComment(today(timedelta(hours=3))),
        FreshComment(today(timedelta(hours=1)), ru, parent=2),
    ]
    ago = [
        FreshComment(anchor - timedelta(hours=5)),
        FreshComment(anchor - timedelta(hours=3, minutes=15), ru, parent=0),
        FreshComment(anchor - timedelta(hours=2, minutes=10)),
        FreshComment(anchor - timedelta(minutes=40), parent=2),
        FreshComment(anchor - timedelta(minutes=5)),
    ]
    newest = [FreshComment(anchor - timedelta(minutes=12)), FreshComment(anchor - timedelta(minutes=4), parent=0)]
    return [
        _fresh_article(249020, anchor - timedelta(hours=79), "test", anchor, plan=ThreadPlan(15, 9)),
        _fresh_article(249160, anchor - timedelta(hours=54), "naval", anchor, plan=ThreadPlan(8, 5)),
        _fresh_article(249305, yesterday + timedelta(hours=8, minutes=30), "delivery", anchor, comments=calendar),
        _fresh_article(249418, anchor - timedelta(hours=6, minutes=40), "exercise", anchor, comments=ago,
                       relative=Relative.AGO),
        _fresh_article(249502, anchor - timedelta(minutes=30), "diplomacy", anchor, comments=newest),
    ]  # fmt: skip


def _fresh_article(
    article_id: int,
    posted: datetime,
    topic_kind: str,
    anchor: datetime,
    plan: ThreadPlan | None = None,
    comments: Sequence[FreshComment] = (),
    relative: Relative = Relative.CALENDAR,
) -> Article:
    rng = random.Random(f"special/{article_id}")
    topic = make_topic(rng, posted.year, kind=topic_kind)
    title = title_for(rng, topic)
    article = Article(
        id=article_id,
        slug=slugify(title),
        title=title,
        section=topic.section,
        author=rng.choice(banks()["authors"]),
        posted=posted,
        tags=topic.tags,
        topic=topic,
        text_seed=f"special/{article_id}",
        views=rng.randint(150, 2500),
        rating=rng.randint(0, 12),
        comment_relative=relative,
    )
    if plan is not None:
        article.threads = grow(rng, article_id, posted, plan, anchor)
    made: list[Comment] = []
    names = banks()["nicknames"]
    for spec in comments:
        parent = None if spec.parent is None else made[spec.parent]
        author = rng.choice([n for n in names if parent is None or n != parent.author])
        comment = Comment(article_id, parent, author, spec.posted, rating(rng), spec.date_style)
        made.append(comment)
        (article.threads if parent is None else parent.replies).append(comment)
    return article
