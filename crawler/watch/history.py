"""Merging an article's captures into one line: its newest content, and each comment's history across captures.

Pure: lines in, a line out. The captures of one article, oldest first, give:

- the article's fields from its newest capture that read the page (a
  ``not_modified`` capture read nothing; it says nothing changed), plus
  ``first_seen``, ``last_seen`` and ``captures``;
- every comment ever seen, in the newest capture's order, each with
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
    after: str | None = None  # the comment before it in the last capture that showed it


def is_complete(line: dict[str, Any]) -> bool:
    """Whether a capture shows every comment the page had: what it declares was read."""
    if line.get("not_modified"):
        return False
    declared = line.get("comment_count_declared")
    if declared is None:
        return not line.get("warnings") and line.get("title") is not None
    return declared == len(line.get("comments") or [])


def merge_captures(captures: list[dict[str, Any]]) -> dict[str, Any]:
    """One line for an article from its capture lines (oldest first, as ``fetched_at`` orders them)."""
    histories: dict[str, _CommentHistory] = {}
    content = next((line for line in reversed(captures) if not line.get("not_modified")), captures[-1])
    for line in captures:
        when = line.get("fetched_at") or ""
        if line.get("not_modified"):
            for history in histories.values():
                if history.removed_after is None:
                    history.last_seen = when
                    history.points.append({**_point(when, history.comment), "not_modified": True})
            continue
        seen = set()
        previous = None
        for comment in line.get("comments") or []:
            history = histories.get(comment["id"])
            if history is None:
                history = histories[comment["id"]] = _CommentHistory(comment, when, when)
            history.comment, history.last_seen = comment, when
            history.removed_after = history.missing_since = None
            history.after = previous
            history.points.append(_point(when, comment))
            seen.add(comment["id"])
            previous = comment["id"]
        if is_complete(line):
            for comment_id, history in histories.items():
                if comment_id not in seen and history.removed_after is None:
                    history.removed_after, history.missing_since = history.last_seen, when
    merged = {key: value for key, value in content.items() if key != "not_modified"}
    merged["comments"] = [_exported(histories[cid]) for cid in _order(content, histories)]
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


def _order(content: dict[str, Any], histories: dict[str, _CommentHistory]) -> list[str]:
    """The newest capture's comment order, each comment no longer there put back after the one it followed."""
    order = [comment["id"] for comment in content.get("comments") or [] if comment["id"] in histories]
    placed = set(order)
    missing = [cid for cid in histories if cid not in placed]
    while missing:
        progress = False
        for cid in list(missing):
            after = histories[cid].after
            if after is None or after in placed:
                order.insert(order.index(after) + 1 if after is not None else 0, cid)
                placed.add(cid)
                missing.remove(cid)
                progress = True
        if not progress:  # its predecessor is gone too and placed nowhere: keep first-seen order at the end
            order += missing
            break
    return order
