"""The whole replica site's database, built from a seed, a clock anchor and a number of stories.

The ordinary stories (179 of the default 200) are drawn from the seed between
January 2020 and late October 2026; the fixed stories of
:mod:`crawler.replica.specials` sit among them at their own ids and dates,
and the fresh ones sit just before the clock anchor. Article ids grow with
the publication date; comment ids grow with the posting time across the
whole site. Start-up draws each ordinary story's metadata and comment times
(so listings can count comments and ids are settled); its comment trees are
drawn when a page first shows them.
"""

from __future__ import annotations

import functools
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crawler.replica import specials
from crawler.replica.clock import MSK
from crawler.replica.model import (
    EN_SITE,
    Article,
    Comment,
    Kind,
    ScoreStyle,
    SiteInfo,
    Unwritten,
)
from crawler.replica.textbank import banks, make_topic, slugify, title_for
from crawler.replica.threads import ThreadPlan, comment_times, grow

DEFAULT_SEED = 20200913
STORY_COUNT = 200  # every story the main listing shows by default, fixed ones included
# Beyond this the title banks run short of new titles (each story has its own) and start-up passes a second.
MAX_STORY_COUNT = 10000
ARCHIVE_START = datetime(2020, 1, 9, 7, 0, tzinfo=MSK)
ARCHIVE_END = datetime(2026, 10, 25, 23, 0, tzinfo=MSK)
EARLIEST_ANCHOR = datetime(2026, 11, 1, tzinfo=MSK)
ID_FLOOR = 175000  # the id before the archive's first story
RATING_SWITCHED_ON = datetime(2020, 3, 1, tzinfo=MSK)  # older comments show "—" for a rating
# Comment ids: the seed article's first comment is 10519713; ten ids per minute after or before it.
COMMENT_ID_ORIGIN = (datetime(2020, 9, 13, 20, 59, tzinfo=MSK), 10519713)
COMMENT_IDS_PER_MINUTE = 10
_ONE_MINUTE = timedelta(minutes=1)


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
    site: SiteInfo = EN_SITE
    # Set once the clock is moved (crawler.replica.timeline): the moment shown, and each story's last change.
    clock: datetime | None = None
    changed: dict[int, datetime] = field(default_factory=dict)

    def last_modified(self, article: Article) -> datetime:
        """When *article*'s page last changed: its publication until the clock is moved, then its last event."""
        if self.clock is None:
            return article.posted
        return self.changed.get(article.id, article.posted)

    def etag(self, article: Article, page: int = 0) -> str | None:
        """A weak validator for *article*'s story page (page 0) or comment page; none until the clock is moved."""
        if self.clock is None:
            return None
        return f'W/"{article.id}-{page}-{int(self.last_modified(article).timestamp()):x}-{article.comment_count:x}"'

    @functools.cached_property
    def users(self) -> dict[str, User]:
        """Everyone who wrote a story or a comment, for profile pages (draws every comment tree once)."""
        comment_counts: Counter[str] = Counter()
        article_counts = Counter(article.author for article in self.stories)
        for article in self.stories:
            comment_counts.update(c.author for c in article.comments() if not c.deleted)
        return {
            name: User(name, comment_counts[name], article_counts[name])
            for name in sorted(set(comment_counts) | set(article_counts))
        }


def build(seed: int | None = None, anchor: datetime | None = None, articles: int = STORY_COUNT) -> SiteContent:
    """The site for *seed* (default :data:`DEFAULT_SEED`) as of *anchor* (default: now), *articles* stories long."""
    seed = DEFAULT_SEED if seed is None else seed
    anchor = (anchor or datetime.now(MSK)).astimezone(MSK).replace(second=0, microsecond=0)
    if anchor < EARLIEST_ANCHOR:
        raise ValueError(f"the clock anchor {anchor.isoformat()} is earlier than {EARLIEST_ANCHOR.isoformat()}: "
                         "the archive's newest stories are from October 2026")  # fmt: skip
    fixed = specials.archived(anchor) + specials.fresh(anchor)
    if not len(fixed) <= articles <= MAX_STORY_COUNT:
        raise ValueError(f"the number of articles must be from {len(fixed)} (the fixed stories) "
                         f"to {MAX_STORY_COUNT}, not {articles}")  # fmt: skip
    ordinary = _ordinary(seed, articles - len(fixed), [a for a in fixed if a.kind is not Kind.BLOG], anchor)
    stories = sorted(fixed + ordinary, key=lambda a: a.posted, reverse=True)
    assign_comment_ids(stories)
    return index_stories(seed, anchor, stories)


def _ordinary_times(rng: random.Random, count: int) -> list[datetime]:
    days = (ARCHIVE_END - ARCHIVE_START).days
    times = {ARCHIVE_START + timedelta(days=rng.randrange(days), minutes=rng.randrange(16 * 60)) for _ in range(count)}
    while len(times) < count:
        times.add(ARCHIVE_START + timedelta(days=rng.randrange(days), minutes=rng.randrange(16 * 60)))
    return sorted(times)


def _ids_for(times: list[datetime], fixed: list[Article]) -> list[int]:
    """Ids growing with date, threaded between the fixed stories' ids by linear interpolation.

    An id is held below the next fixed id by as many as the stories still to
    come before it need, so a crowded stretch bunches up instead of running out.
    """
    points = [(ARCHIVE_START - timedelta(days=1), ID_FLOOR), *sorted((a.posted, a.id) for a in fixed)]
    segments = []
    segment = 0
    for when in times:
        while points[segment + 1][0] <= when:
            segment += 1
        segments.append(segment)
    still_to_come = Counter(segments)
    ids: list[int] = []
    for when, segment in zip(times, segments, strict=True):
        (t0, i0), (t1, i1) = points[segment], points[segment + 1]
        still_to_come[segment] -= 1
        guess = i0 + round((i1 - i0) * (when - t0) / (t1 - t0))
        article_id = min(max(guess, ids[-1] + 1 if ids else 0, i0 + 1), i1 - 1 - still_to_come[segment])
        if article_id <= max(i0, ids[-1] if ids else 0):
            raise ValueError(f"too many stories for the article ids between {i0} and {i1} ({t0:%Y-%m-%d} to "
                             f"{t1:%Y-%m-%d}): ask for fewer articles")  # fmt: skip
        ids.append(article_id)
    return ids


def comment_plan(rng: random.Random) -> ThreadPlan:
    """How many comments and threads an ordinary story draws."""
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
    """The seeded stories of the archive, their comment trees not drawn yet."""
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
        plan = comment_plan(story_rng)
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
        article.unwritten = _unwritten(story_rng, article, plan, anchor)
        stories.append(article)
    return stories


def _unwritten(rng: random.Random, article: Article, plan: ThreadPlan, until: datetime) -> Unwritten:
    """An ordinary story's discussion: times drawn now from a clock of its own, the trees from *rng* later."""
    clock_seed = f"{article.text_seed}/clock"
    times = comment_times(random.Random(clock_seed), article.posted, plan, until)

    def draw() -> list[Comment]:
        return grow(rng, article.id, article.posted, plan, until, clock=random.Random(clock_seed))

    return Unwritten(times, draw)


def _minute(when: datetime) -> int:
    return (when - COMMENT_ID_ORIGIN[0]) // _ONE_MINUTE


def assign_comment_ids(stories: list[Article]) -> None:
    """Give every comment its site-wide id: ten per minute of posting time, in time order.

    Within a minute, the comments drawn already (the fixed stories') come
    first, so their ids depend neither on the seed nor on the number of
    stories; a fixed comment that must have a given id (the seed article's) is
    checked against it. Then come the unwritten ones, by article id (an
    ordinary story has at most one comment a minute).
    """
    per_minute: Counter[int] = Counter()

    def next_id(minute: int, article_id: int) -> int:
        rank = per_minute[minute]
        if rank >= COMMENT_IDS_PER_MINUTE:
            raise RuntimeError(f"more than {COMMENT_IDS_PER_MINUTE} comments in one minute (article {article_id})")
        per_minute[minute] += 1
        return COMMENT_ID_ORIGIN[1] + minute * COMMENT_IDS_PER_MINUTE + rank

    drawn = sorted(
        (_minute(comment.posted), article.id, order, comment)
        for article in stories
        if article.unwritten is None
        for order, comment in enumerate(article.comments())
    )
    for minute, article_id, _, comment in drawn:
        comment.id = next_id(minute, article_id)
        if comment.pinned_id is not None and comment.id != comment.pinned_id:
            raise RuntimeError(f"comment {comment.pinned_id} of article {article_id} got id {comment.id}")
    for article in sorted((a for a in stories if a.unwritten is not None), key=lambda a: a.id):
        article.unwritten.ids = [next_id(_minute(when), article.id) for when in article.unwritten.times]


def index_stories(seed: int, anchor: datetime, stories: list[Article]) -> SiteContent:
    """The site of *stories* (newest first), with its listings by section and tag."""
    by_section: dict[str, list[Article]] = defaultdict(list)
    by_tag: dict[str, list[Article]] = defaultdict(list)
    for article in stories:
        if article.kind is not Kind.BLOG:
            by_section[article.section].append(article)
        for tag in article.tags:
            by_tag[tag].append(article)
    return SiteContent(
        seed=seed,
        anchor=anchor,
        stories=stories,
        articles={a.id: a for a in stories if a.kind is not Kind.BLOG},
        blogs={a.id: a for a in stories if a.kind is Kind.BLOG},
        sections=dict(banks()["sections"]),
        by_section=dict(by_section),
        by_tag=dict(by_tag),
    )
