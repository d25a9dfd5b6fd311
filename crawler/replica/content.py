"""The whole replica site's database, built from a seed and a clock anchor.

About 180 ordinary stories are drawn from the seed between January 2020 and
late October 2026; the fixed stories of :mod:`crawler.replica.specials` sit
among them at their own ids and dates, and the fresh ones sit just before the
clock anchor. Article ids grow with the publication date; comment ids grow
with the posting time across the whole site.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from crawler.replica import specials
from crawler.replica.clock import MSK
from crawler.replica.model import Article, Comment, Kind, ScoreStyle
from crawler.replica.textbank import banks, make_topic, slugify, title_for
from crawler.replica.threads import ThreadPlan, grow

DEFAULT_SEED = 20200913
STORY_COUNT = 200  # every story the listings show, fixed ones included
ARCHIVE_START = datetime(2020, 1, 9, 7, 0, tzinfo=MSK)
ARCHIVE_END = datetime(2026, 10, 25, 23, 0, tzinfo=MSK)
EARLIEST_ANCHOR = datetime(2026, 11, 1, tzinfo=MSK)
ID_FLOOR = 175000  # the id before the archive's first story
RATING_SWITCHED_ON = datetime(2020, 3, 1, tzinfo=MSK)  # older comments show "—" for a rating
# Comment ids: the seed article's first comment is 10519713; ten ids per minute after or before it.
COMMENT_ID_ORIGIN = (datetime(2020, 9, 13, 20, 59, tzinfo=MSK), 10519713)
COMMENT_IDS_PER_MINUTE = 10


@dataclass(frozen=True)
class User:
    """A registered reader or editor, for /user/<name>/."""

    name: str
    comments: int
    articles: int


@dataclass
class SiteContent:
    """Everything the site shows; ``stories`` is the main listing, newest first."""

    seed: int
    anchor: datetime
    stories: list[Article]
    articles: dict[int, Article]  # by id, for /<id>-<slug>.html (gone ones included: they answer 404)
    blogs: dict[int, Article]
    sections: dict[str, str]  # slug -> name
    by_section: dict[str, list[Article]]
    by_tag: dict[str, list[Article]]
    users: dict[str, User]


def build(seed: int | None = None, anchor: datetime | None = None) -> SiteContent:
    """The site for *seed* (default :data:`DEFAULT_SEED`) as of *anchor* (default: now)."""
    seed = DEFAULT_SEED if seed is None else seed
    anchor = (anchor or datetime.now(MSK)).astimezone(MSK).replace(second=0, microsecond=0)
    if anchor < EARLIEST_ANCHOR:
        raise ValueError(f"the clock anchor {anchor.isoformat()} is earlier than {EARLIEST_ANCHOR.isoformat()}: "
                         "the archive's newest stories are from October 2026")  # fmt: skip
    fixed = specials.archived(anchor) + specials.fresh(anchor)
    ordinary = _ordinary(seed, STORY_COUNT - len(fixed), [a for a in fixed if a.kind is not Kind.BLOG], anchor)
    stories = sorted(fixed + ordinary, key=lambda a: a.posted, reverse=True)
    assign_comment_ids(stories, {a.id for a in fixed})
    return _index(seed, anchor, stories)


def _ordinary_times(rng: random.Random, count: int) -> list[datetime]:
    days = (ARCHIVE_END - ARCHIVE_START).days
    times = {ARCHIVE_START + timedelta(days=rng.randrange(days), minutes=rng.randrange(16 * 60)) for _ in range(count)}
    while len(times) < count:
        times.add(ARCHIVE_START + timedelta(days=rng.randrange(days), minutes=rng.randrange(16 * 60)))
    return sorted(times)


def _ids_for(times: list[datetime], fixed: list[Article]) -> list[int]:
    """Ids growing with date, threaded between the fixed stories' ids by linear interpolation."""
    points = [(ARCHIVE_START - timedelta(days=1), ID_FLOOR), *sorted((a.posted, a.id) for a in fixed)]
    ids: list[int] = []
    segment = 0
    for when in times:
        while points[segment + 1][0] <= when:
            segment += 1
        (t0, i0), (t1, i1) = points[segment], points[segment + 1]
        guess = i0 + round((i1 - i0) * (when - t0) / (t1 - t0))
        article_id = max(guess, ids[-1] + 1 if ids else 0, i0 + 1)
        if article_id >= i1:
            raise RuntimeError(f"no free article id between {i0} and {i1} for a story of {when}")
        ids.append(article_id)
    return ids


def _comment_plan(rng: random.Random) -> ThreadPlan:
    roll = rng.random()
    if roll < 0.3:
        count = 0
    elif roll < 0.55:
        count = rng.randint(1, 6)
    elif roll < 0.9:
        count = rng.randint(7, 45)
    else:
        count = rng.randint(46, 110)
    threads = max(1, round(count * rng.uniform(0.4, 0.7))) if count else 0
    return ThreadPlan(count, threads, russian_share=0.02, deleted_share=0.015 if count > 10 else 0.0)


def _ordinary(seed: int, count: int, fixed: list[Article], anchor: datetime) -> list[Article]:
    """The seeded stories of the archive."""
    rng = random.Random(seed)
    times = _ordinary_times(rng, count)
    titles = {a.title for a in fixed}
    stories = []
    for when, article_id in zip(times, _ids_for(times, fixed), strict=True):
        story_rng = random.Random(f"{seed}/{article_id}")
        topic = make_topic(story_rng, when.year)
        title = title_for(story_rng, topic)
        while title in titles:
            topic = make_topic(story_rng, when.year)
            title = title_for(story_rng, topic)
        titles.add(title)
        plan = _comment_plan(story_rng)
        article = Article(
            id=article_id,
            slug=slugify(title),
            title=title,
            section=topic.section,
            author=story_rng.choice(banks()["authors"]),
            posted=when,
            tags=topic.tags,
            topic=topic,
            text_seed=f"{seed}/{article_id}",
            views=story_rng.randint(300, 6000) + 55 * plan.count,
            rating=story_rng.randint(-6, 40),
            score_style=ScoreStyle.DISABLED if when < RATING_SWITCHED_ON else ScoreStyle.STANDARD,
        )
        article.threads = grow(story_rng, article_id, when, plan, anchor)
        stories.append(article)
    return stories


def assign_comment_ids(stories: list[Article], fixed_ids: set[int]) -> None:
    """Give every comment its site-wide id: ten per minute of posting time, in time order.

    Within a minute, comments of fixed stories come first, so their ids never
    depend on the seed; a fixed comment that must have a given id (the seed
    article's) is checked against it.
    """
    origin, origin_id = COMMENT_ID_ORIGIN
    comments: list[tuple[int, int, int, int, Comment]] = []
    for article in stories:
        for order, comment in enumerate(article.comments()):
            minute = int((comment.posted - origin).total_seconds() // 60)
            comments.append((minute, article.id not in fixed_ids, article.id, order, comment))
    comments.sort(key=lambda entry: entry[:4])
    per_minute: Counter[int] = Counter()
    for minute, _, article_id, _, comment in comments:
        rank = per_minute[minute]
        if rank >= COMMENT_IDS_PER_MINUTE:
            raise RuntimeError(f"more than {COMMENT_IDS_PER_MINUTE} comments in one minute (article {article_id})")
        per_minute[minute] += 1
        comment.id = origin_id + minute * COMMENT_IDS_PER_MINUTE + rank
        if comment.pinned_id is not None and comment.id != comment.pinned_id:
            raise RuntimeError(f"comment {comment.pinned_id} of article {article_id} got id {comment.id}")


def _index(seed: int, anchor: datetime, stories: list[Article]) -> SiteContent:
    sections = dict(banks()["sections"])
    by_section: dict[str, list[Article]] = defaultdict(list)
    by_tag: dict[str, list[Article]] = defaultdict(list)
    comment_counts: Counter[str] = Counter()
    article_counts: Counter[str] = Counter()
    for article in stories:
        if article.kind is not Kind.BLOG:
            by_section[article.section].append(article)
        for tag in article.tags:
            by_tag[tag].append(article)
        article_counts[article.author] += 1
        comment_counts.update(c.author for c in article.comments() if not c.deleted)
    users = {
        name: User(name, comment_counts[name], article_counts[name])
        for name in sorted(set(comment_counts) | set(article_counts))
    }
    return SiteContent(
        seed=seed,
        anchor=anchor,
        stories=stories,
        articles={a.id: a for a in stories if a.kind is not Kind.BLOG},
        blogs={a.id: a for a in stories if a.kind is Kind.BLOG},
        sections=sections,
        by_section=dict(by_section),
        by_tag=dict(by_tag),
        users=users,
    )
