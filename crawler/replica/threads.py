"""Comment trees: who answers whom, when, and with what rating.

A tree is grown in time order: each new comment either opens a thread or
answers one of the last dozen comments, so every reply is later than its
parent and threads stay where the discussion was. Ids are assigned later,
site-wide (see :func:`crawler.replica.content.assign_comment_ids`).

Posting times come from a *clock* generator. The fixed stories draw them
from the tree's own generator, interleaved with the rest; ordinary stories
give a clock of their own, so their times (hence comment counts and ids) are
known at start-up from :func:`comment_times` and the trees are drawn only
when a page shows them.
"""

from __future__ import annotations

import functools
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from crawler.replica.clock import DateStyle
from crawler.replica.model import Comment
from crawler.replica.textbank import banks

MAX_DEPTH = 12


@dataclass(frozen=True)
class ThreadPlan:
    """The shape of one article's discussion."""

    count: int
    threads: int
    date_style: DateStyle = DateStyle.TRANSLATED
    first_delay_minutes: tuple[int, int] = (4, 180)
    mean_gap_minutes: float = 12.0
    russian_share: float = 0.0  # comments whose date was left untranslated
    deleted_share: float = 0.0
    deleted_with_replies: bool = False  # delete the first thread opener that has replies
    deep_chain: int = 0  # force a reply chain this deep into the fourth thread


@functools.cache
def _author_weights() -> list[float]:
    """Cumulative weights: a few regulars write most comments, as on any forum."""
    return list(itertools.accumulate(1 / (rank + 3) for rank in range(len(banks()["nicknames"]))))


def rating(rng: random.Random) -> int:
    """A comment's plus/minus balance: mostly small, now and then a popular or hated one."""
    roll = rng.random()
    if roll < 0.3:
        return 0
    if roll < 0.68:
        return rng.randint(1, 5)
    if roll < 0.88:
        return -rng.randint(1, 5)
    if roll < 0.97:
        return rng.randint(6, 30)
    return -rng.randint(6, 15)


def _openers(rng: random.Random, plan: ThreadPlan) -> tuple[set[int], range]:
    """Which comments open a thread (exactly ``plan.threads``), and the forced reply chain if any."""
    openers = {0, *rng.sample(range(1, plan.count), plan.threads - 1)}
    must_reply = {1} if plan.deleted_with_replies else set()
    chain = range(0)
    if plan.deep_chain:
        fourth = sorted(openers)[3]
        chain = range(fourth + 1, fourth + 1 + plan.deep_chain)
        must_reply |= set(chain)
    displaced = openers & must_reply
    openers -= must_reply
    # Openers moved out of the way reappear after the chain, so the thread count and order stay put.
    free = [i for i in range(max(chain.stop, 2), plan.count) if i not in openers]
    openers |= set(rng.sample(free, len(displaced)))
    return openers, chain


def _parents(rng: random.Random, plan: ThreadPlan) -> list[int | None]:
    """For each comment in time order, the index of the comment it answers (None: a new thread)."""
    openers, chain = _openers(rng, plan)
    parents: list[int | None] = []
    depth: list[int] = []
    for i in range(plan.count):
        if i in openers:
            parents.append(None)
            depth.append(0)
            continue
        j = i - 1 if i in chain else i - 1 - min(int(rng.expovariate(0.4)), i - 1, 11)
        while depth[j] >= MAX_DEPTH:
            j = parents[j]  # type: ignore[assignment]
        parents.append(j)
        depth.append(depth[j] + 1)
    return parents


def _timeline(clock: random.Random, posted: datetime, plan: ThreadPlan) -> Iterator[datetime]:
    """The posting times of a discussion, each drawn when asked for: at least a minute apart, slowing down."""
    if plan.count == 0:
        return
    when = posted + timedelta(minutes=clock.randint(*plan.first_delay_minutes))
    yield when
    for i in range(1, plan.count):
        mean = plan.mean_gap_minutes * (1 + i / plan.count)
        when += timedelta(minutes=1 + int(clock.expovariate(1 / mean)))
        yield when


def comment_times(clock: random.Random, posted: datetime, plan: ThreadPlan, until: datetime) -> list[datetime]:
    """The times :func:`grow` gives the comments when handed a clock seeded alike (none later than *until*)."""
    return list(itertools.takewhile(lambda when: when <= until, _timeline(clock, posted, plan)))


def grow(
    rng: random.Random,
    article_id: int,
    posted: datetime,
    plan: ThreadPlan,
    until: datetime,
    clock: random.Random | None = None,
) -> list[Comment]:
    """The threads of an article posted at *posted*; comments later than *until* are never written.

    Times are drawn from *clock*, by default from *rng* itself.
    """
    if plan.count == 0:
        return []
    names, weights = banks()["nicknames"], _author_weights()
    parents = _parents(rng, plan)
    times = _timeline(rng if clock is None else clock, posted, plan)
    comments: list[Comment] = []
    threads: list[Comment] = []
    for parent_index, when in zip(parents, times, strict=True):
        parent = None if parent_index is None else comments[parent_index]
        author = rng.choices(names, cum_weights=weights)[0]
        while parent is not None and author == parent.author:
            author = rng.choices(names, cum_weights=weights)[0]
        russian = rng.random() < plan.russian_share
        comment = Comment(
            article_id=article_id,
            parent=parent,
            author=author,
            posted=when,
            rating=rating(rng),
            date_style=DateStyle.RUSSIAN if russian else plan.date_style,
            deleted=rng.random() < plan.deleted_share,
        )
        if when > until:
            break
        comments.append(comment)
        (threads if parent is None else parent.replies).append(comment)
    if plan.deleted_with_replies:
        next(c for c in threads if c.replies).deleted = True
    return threads
