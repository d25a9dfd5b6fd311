"""The replica over time: what happens on the site after its clock anchor, and the site as of a later moment.

A replica built at anchor A is the site as it stood at A. Moving its clock to
a moment T (``--clock T`` or ``/__replica__/clock?now=T``) serves the site as
it stands at T, by these rules (all fixed by the seed and A, so a test can
write its expectations down):

- **New stories**: one every hour, at A+20m, A+1h20m, A+2h20m… for
  :data:`TIMELINE_DAYS` days; ids 249513, 249524, 249535… (eleven apart, after
  the fresh 249502), on top of the main listing. The first (249513) never gets
  a comment; the second (249524) draws a busy discussion (60 comments in 30
  threads, two comment pages once its 21st thread is in); the others draw
  their discussions as ordinary stories do.
- **New comments** on the fresh stories (index = position among the story's
  comments in posting order): on 249502 at A+20m (a new thread, #2), A+45m
  (a reply to #2), A+2h30m (a reply to #0) and A+5h (a new thread); on 249418
  at A+1h10m (a reply to #0); on 249305 at A+4h (a new thread). New comments
  get ids by posting minute, as all comments do.
- **Votes**: a comment's rating moves at 1 h, 6 h and 24 h after it was
  posted, when that moment is after A (earlier moves are in its rating at A):
  by +1, +2, +1 when its id divided by 3 leaves 0; by −1, −1, 0 when it leaves
  1; never when it leaves 2. Deleted comments show no rating and get no votes.
- **Moderation**: comment #1 of 249502 (the reply posted at A−4m) is removed
  at A+3h: it vanishes from the page and from the count.

Each story page and comment JSON page then carries ``Last-Modified`` (the
story's last change: publication, a comment, a vote or a removal) and a weak
``ETag`` built from it, and answers ``304 Not Modified`` to a conditional
request whose ``If-None-Match`` or ``If-Modified-Since`` says nothing changed
(:mod:`crawler.replica.conditional`). Relative dates still follow the real
clock, as before: a crawler reads them against its own capture time.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from crawler.replica.clock import MSK
from crawler.replica.content import (
    COMMENT_ID_ORIGIN,
    COMMENT_IDS_PER_MINUTE,
    SiteContent,
    comment_plan,
    index_stories,
)
from crawler.replica.model import Article, Comment
from crawler.replica.textbank import banks, make_topic, slugify, title_for
from crawler.replica.threads import ThreadPlan, grow, rating

TIMELINE_DAYS = 10
FIRST_NEW_STORY = timedelta(minutes=20)
NEW_STORY_EVERY = timedelta(hours=1)
NEW_STORY_ID_STEP = 11
NEWEST_FRESH_ID = 249502
QUIET_STORY = 0  # index of the new story that never gets a comment
BUSY_STORY = 1  # index of the new story with two comment pages
BUSY_PLAN = ThreadPlan(60, 30, mean_gap_minutes=5)
VOTE_AGES = (timedelta(hours=1), timedelta(hours=6), timedelta(hours=24))
VOTES = {0: (1, 2, 1), 1: (-1, -1, 0), 2: (0, 0, 0)}
# story id -> (minutes after the anchor, index of the comment it answers or None), in posting order.
LATER_COMMENTS: dict[int, tuple[tuple[int, int | None], ...]] = {
    249502: ((20, None), (45, 2), (150, 0), (300, None)),
    249418: ((70, 0),),
    249305: ((240, None),),
}
# (story id, index of the comment in posting order, minutes after the anchor when a moderator removes it)
REMOVALS = ((249502, 1, 180),)
_ONE_MINUTE = timedelta(minutes=1)


@dataclass
class _Story:
    """A story that changes after the anchor: its whole future comment tree, and when each comment goes."""

    article: Article  # its own copy, with every comment up to the end of the timeline
    removed: dict[int, datetime]  # comment id -> removal time


class Timeline:
    """Everything that happens after the anchor of *base*, drawn once; :meth:`site_at` gives the site at a moment."""

    def __init__(self, base: SiteContent) -> None:
        self.base = base
        self.anchor = base.anchor
        self.end = self.anchor + timedelta(days=TIMELINE_DAYS)
        self.stories: dict[int, _Story] = {}
        self.new_ids: list[int] = []
        later: list[Comment] = []
        for article in base.stories:
            if article.id in LATER_COMMENTS or _has_recent_comments(article, self.anchor - VOTE_AGES[-1]):
                story = _Story(_copy_tree(article), {})
                later += self._later_comments(story.article)
                self.stories[article.id] = story
        titles = {a.title for a in base.stories}
        for number in range(int((self.end - self.anchor - FIRST_NEW_STORY) / NEW_STORY_EVERY) + 1):
            article = self._new_story(number, titles)
            self.stories[article.id] = _Story(article, {})
            self.new_ids.append(article.id)
            later += article.comments()
        _assign_ids(later)
        for story_id, index, minutes in REMOVALS:
            if story_id in self.stories:
                story = self.stories[story_id]
                comment = sorted(story.article.comments(), key=lambda c: c.posted)[index]
                story.removed[comment.id] = self.anchor + timedelta(minutes=minutes)

    def _later_comments(self, article: Article) -> list[Comment]:
        plan = LATER_COMMENTS.get(article.id, ())
        in_time_order = sorted(article.comments(), key=lambda c: c.posted)
        rng = random.Random(f"timeline/{article.id}")
        names = banks()["nicknames"]
        added = []
        for minutes, parent_index in plan:
            parent = None if parent_index is None else in_time_order[parent_index]
            author = rng.choice([n for n in names if parent is None or n != parent.author])
            comment = Comment(article.id, parent, author, self.anchor + timedelta(minutes=minutes), rating(rng))
            (article.threads if parent is None else parent.replies).append(comment)
            in_time_order.append(comment)
            added.append(comment)
        return added

    def _new_story(self, number: int, titles: set[str]) -> Article:
        article_id = NEWEST_FRESH_ID + NEW_STORY_ID_STEP * (number + 1)
        posted = self.anchor + FIRST_NEW_STORY + number * NEW_STORY_EVERY
        rng = random.Random(f"{self.base.seed}/timeline/{article_id}")
        topic = make_topic(rng, posted.year)
        title = title_for(rng, topic)
        while title in titles:
            topic = make_topic(rng, posted.year)
            title = title_for(rng, topic)
        titles.add(title)
        plan = comment_plan(rng)
        if number == QUIET_STORY:
            plan = ThreadPlan(0, 0)
        elif number == BUSY_STORY:
            plan = BUSY_PLAN
        article = Article(
            id=article_id,
            slug=slugify(title),
            title=title,
            section=topic.section,
            author=rng.choice(banks()["authors"]),
            posted=posted,
            tags=topic.tags,
            topic=topic,
            text_seed=f"{self.base.seed}/timeline/{article_id}",
            views=rng.randint(150, 2500),
            rating=rng.randint(0, 12),
        )
        article.threads = grow(rng, article_id, posted, plan, self.end)
        return article

    def site_at(self, now: datetime) -> SiteContent:
        """The site as it stands at *now* (not before the anchor): new stories, comments, votes and removals so far."""
        now = now.astimezone(MSK)
        if now < self.anchor:
            raise ValueError(f"the clock cannot go back before the site's anchor {self.anchor.isoformat()}")
        changed: dict[int, datetime] = {}
        replaced: dict[int, Article] = {}
        new: list[Article] = []
        for story_id, story in self.stories.items():
            if story.article.posted > now:
                continue
            article, last_change = self._article_at(story, now)
            changed[story_id] = last_change
            if story_id in self.new_ids:
                new.append(article)
            else:
                replaced[story_id] = article
        stories = [replaced.get(a.id, a) for a in self.base.stories]
        for article in stories:
            if article.id not in changed:
                changed[article.id] = _last_change(article)
        stories = sorted(new + stories, key=lambda a: a.posted, reverse=True)
        site = index_stories(self.base.seed, self.anchor, stories)
        site.clock = now
        site.changed = changed
        return site

    def _article_at(self, story: _Story, now: datetime) -> tuple[Article, datetime]:
        article = story.article
        events = [article.posted]

        def keep(comment: Comment, parent: Comment | None) -> Comment | None:
            if comment.posted > now:
                return None
            removed = story.removed.get(comment.id)
            if removed is not None and removed <= now:
                events.append(removed)
                return None
            events.append(comment.posted)
            moved = comment.rating
            if not comment.deleted:
                for age, delta in zip(VOTE_AGES, VOTES[comment.id % 3], strict=True):
                    when = comment.posted + age
                    if delta and self.anchor < when <= now:
                        moved += delta
                        events.append(when)
            copy = dataclasses.replace(comment, parent=parent, rating=moved, replies=[])
            copy.replies = [r for r in (keep(reply, copy) for reply in comment.replies) if r is not None]
            return copy

        threads = [t for t in (keep(thread, None) for thread in article.threads) if t is not None]
        copy = dataclasses.replace(article, unwritten=None, _threads=[])
        copy.threads = threads
        return copy, max(events)


def _has_recent_comments(article: Article, since: datetime) -> bool:
    """Whether *article* has a comment posted after *since* (without drawing an ordinary story's threads)."""
    if article.unwritten is not None:
        return bool(article.unwritten.times) and article.unwritten.times[-1] > since
    return any(c.posted > since for c in article.comments())


def _last_change(article: Article) -> datetime:
    if article.unwritten is not None:
        return max([article.posted, *article.unwritten.times[-1:]])
    return max([article.posted, *(c.posted for c in article.comments())])


def _copy_tree(article: Article) -> Article:
    """*article* with a comment tree of its own (the base site's stays as it is)."""

    def copy(comment: Comment, parent: Comment | None) -> Comment:
        twin = dataclasses.replace(comment, parent=parent, replies=[])
        twin.replies = [copy(reply, twin) for reply in comment.replies]
        return twin

    twin = dataclasses.replace(article, unwritten=None, _threads=[])
    twin.threads = [copy(thread, None) for thread in article.threads]
    return twin


def _assign_ids(comments: list[Comment]) -> None:
    """Ids for the comments written after the anchor: ten per posting minute, as the site gives them."""
    per_minute: Counter[int] = Counter()
    for comment in sorted(comments, key=lambda c: (c.posted, c.article_id)):
        minute = (comment.posted - COMMENT_ID_ORIGIN[0]) // _ONE_MINUTE
        rank = per_minute[minute]
        if rank >= COMMENT_IDS_PER_MINUTE:
            raise RuntimeError(f"more than {COMMENT_IDS_PER_MINUTE} comments in one minute after the anchor")
        per_minute[minute] += 1
        comment.id = COMMENT_ID_ORIGIN[1] + minute * COMMENT_IDS_PER_MINUTE + rank
