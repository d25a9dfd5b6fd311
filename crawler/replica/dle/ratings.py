"""Ratings as ``ShowRating``/``ShowCommentsRating`` write them, for a guest and for a member who may vote.

Plus/minus ratings (DLE rating types 2 and 3) write the score in a
``ratingtypeplusminus`` span whose extra class is ``ratingplus`` (``+5``),
``ratingminus`` (``-3``) or ``ratingzero`` (``0``). Only a viewer whose group
may rate gets it wrapped in ``ratig-layer-ID`` (articles) or
``comments-ratig-layer-ID`` (comments), plus the vote links the template puts
around it; a guest, which is what a crawler is, gets the bare span. The
likes/dislikes layout (comment rating type 3, the template's
``[rating-type-4]`` block) shows two counters instead, each in a span the
engine writes: ``comments-likes-id-N`` and ``comments-dislikes-id-N``.
"""

from __future__ import annotations

import zlib

VOTE_EXTRA_MAX = 6  # besides the |score| votes that make the balance, up to this many pairs of opposite votes


def _score(value: int) -> tuple[str, str]:
    if value > 0:
        return "ratingplus", f"+{value}"
    return ("ratingminus" if value < 0 else "ratingzero"), str(value)


def score_span(value: int) -> str:
    """The bare rating span, as a guest sees it (note the space before ``>``, as DLE writes it)."""
    cls, text = _score(value)
    return f'<span class="ratingtypeplusminus ignore-select {cls}" >{text}</span>'


def comment_rating(comment_id: int, value: int, member: bool) -> str:
    """``ShowCommentsRating`` for rating types 2 and 3."""
    span = score_span(value)
    return f'<span id="comments-ratig-layer-{comment_id}" class="ignore-select">{span}</span>' if member else span


def article_rating(article_id: int, value: int, member: bool) -> str:
    """``ShowRating`` for rating types 2 and 3."""
    span = score_span(value)
    return f'<span id="ratig-layer-{article_id}" class="ignore-select">{span}</span>' if member else span


def votes(comment_id: int, value: int) -> tuple[int, int]:
    """(likes, dislikes) of a comment whose balance is *value*: the same for a comment id whatever the theme.

    DLE stores the balance and the number of votes; ``comments.class.php``
    derives ``dislikes = (vote_num - rating) / 2`` and ``likes = vote_num - dislikes``.
    """
    vote_num = abs(value) + 2 * (zlib.crc32(str(comment_id).encode()) % (VOTE_EXTRA_MAX + 1))
    dislikes = (vote_num - value) // 2
    return vote_num - dislikes, dislikes


def likes_span(comment_id: int, likes: int) -> str:
    return f'<span id="comments-likes-id-{comment_id}" class="ignore-select">{likes}</span>'


def dislikes_span(comment_id: int, dislikes: int) -> str:
    return f'<span id="comments-dislikes-id-{comment_id}" class="ignore-select">{dislikes}</span>'


def vote_link(kind: str, comment_id: int, inner: str) -> str:
    """``[rating-plus]``/``[rating-minus]`` for a member: a link that calls ``doCommentsRate``."""
    return f"<a href=\"#\" onclick=\"doCommentsRate('{kind}', '{comment_id}'); return false;\" >{inner}</a>"
