"""Merging an article's captures into one line: its newest content, and each comment's history across captures.

Pure: lines in, a line out. The captures of one article, oldest first, give:

- the article's fields from its newest capture that read the page (a
  ``not_modified`` capture read nothing, it says nothing changed; nor did a
  capture whose article page could not be fetched), plus ``first_seen``,
  ``last_seen`` and ``captures``;
- every comment ever seen, in the newest capture's order (a comment no longer
  there put back after the one it followed when it was last seen), each with
  ``first_seen``, ``last_seen`` and ``score_history`` (one point per capture
  that showed it: capture time and score, and likes/dislikes where the page
  showed them; a ``not_modified`` capture repeats the last score, marked so);
- a comment missing from a later *complete* capture (one that read as many
  comments as the page declares, none missing for a failed page) is kept,
  with ``removed_after`` (the last capture that showed it) and
  ``missing_since`` (the first complete capture without it). A capture that
  is not complete removes nothing: a comment page that failed is no removal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VOTE_FIELDS = ("likes", "dislikes")


@dataclass
class _CommentHistory:
    comment: dict[str, Any]
    first_seen: str
    last_seen: str
    points: list[dict[str, Any]] = field(default_factory=list)
    removed_after: str | None = None
    missing_since: str | None = None


def is_complete(line: dict[str, Any]) -> bool:
    """Whether a capture shows every comment the page had: what it declares was read."""
    if line.get("not_modified"):
        return False
    declared = line.get("comment_count_declared")
    if declared is None:
        return not line.get("warnings") and line.get("title") is not None
    return declared == len(line.get("comments") or [])


def read_the_page(line: dict[str, Any]) -> bool:
    """Whether a capture read the article page (what the crawl counts as read): a 304 read nothing, and neither
    did a page that could not be fetched (its line has a warning and no field of the page)."""
    if line.get("not_modified"):
        return False
    return bool(line.get("missing")) or any(line.get(name) for name in ("title", "body", "published_at"))


def merge_captures(captures: list[dict[str, Any]]) -> dict[str, Any]:
    """One line for an article from its capture lines (oldest first, as ``fetched_at`` orders them)."""
    histories: dict[str, _CommentHistory] = {}
    content = next((line for line in reversed(captures) if read_the_page(line)), captures[-1])
    for line in captures:
        when = line.get("fetched_at") or ""
        if line.get("not_modified"):
            for history in histories.values():
                if history.removed_after is None:
                    history.last_seen = when
                    history.points.append({**_point(when, history.comment), "not_modified": True})
            continue
        seen = set()
        for comment in line.get("comments") or []:
            history = histories.get(comment["id"])
            if history is None:
                history = histories[comment["id"]] = _CommentHistory(comment, when, when)
            history.comment, history.last_seen = comment, when
            history.removed_after = history.missing_since = None
            history.points.append(_point(when, comment))
            seen.add(comment["id"])
        if is_complete(line):
            for comment_id, history in histories.items():
                if comment_id not in seen and history.removed_after is None:
                    history.removed_after, history.missing_since = history.last_seen, when
    merged = {key: value for key, value in content.items() if key != "not_modified"}
    merged["comments"] = [_exported(histories[cid]) for cid in _order(content, captures)]
    merged["first_seen"] = captures[0].get("fetched_at")
    merged["last_seen"] = captures[-1].get("fetched_at")
    merged["captures"] = len(captures)
    return merged


def _point(when: str, comment: dict[str, Any]) -> dict[str, Any]:
    point = {"captured_at": when, "score": comment.get("score")}
    point.update({name: comment[name] for name in VOTE_FIELDS if comment.get(name) is not None})
    return point


def _exported(history: _CommentHistory) -> dict[str, Any]:
    return {
        **history.comment,
        "first_seen": history.first_seen,
        "last_seen": history.last_seen,
        "score_history": history.points,
        "removed_after": history.removed_after,
        "missing_since": history.missing_since,
    }


def _order(content: dict[str, Any], captures: list[dict[str, Any]]) -> list[str]:
    """The comment ids of *content* in its order, then those it does not show, each put back where it stood.

    The captures are gone through from the newest to the oldest: a comment
    not placed yet goes right after the comment it followed in that capture
    (first if it was first), so comments that followed the same one keep
    their order, and a removed comment whose predecessor is gone too follows it.
    """
    order = list(dict.fromkeys(comment["id"] for comment in content.get("comments") or []))
    placed = set(order)
    for line in reversed(captures):
        anchor = None
        for comment in line.get("comments") or []:
            cid = comment["id"]
            if cid not in placed:
                order.insert(order.index(anchor) + 1 if anchor is not None else 0, cid)
                placed.add(cid)
            anchor = cid
    return order
