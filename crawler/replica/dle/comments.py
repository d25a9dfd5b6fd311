"""``DLE_Comments``: which comments a page shows, in what order and inside which engine markup.

Tree comments on (``tree_comments``): a page holds 20 threads; the list is
``<ol class="comments-tree-list">`` of ``<li id="comments-tree-item-N"
class="comments-tree-item" >`` items, each reply list nested in its parent's
item. Tree comments off: a page holds 20 comments in id order (the order they
were posted), one after the other, and nothing says who answers whom. Either
way each comment is wrapped in ``<div id='comment-id-N'>`` (single quotes, as
the engine writes them) and its text in ``<div id='comm-id-N'>``.

Deleted comments follow the engine too. ``absent``: the row is gone. With tree
comments on, DLE 14's ``deletecomments()`` deletes the replies with it, and
``build_tree`` would drop replies whose parent row is missing anyway, so the
whole sub-thread is gone; with tree comments off only the row goes and its
replies stay (only their quotes hint at it). ``blanked``: a moderator replaced
the text; author, date and score stay, and so do the replies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from crawler.replica.model import COMMENTS_PER_PAGE, Article, Comment
from crawler.replica.templates import Markup

TREE, FLAT = "tree", "flat"
ABSENT, BLANKED = "absent", "blanked"


@dataclass(frozen=True)
class Shown:
    """One comment as the engine hands it to ``comments.tpl``."""

    comment: Comment
    depth: int  # the tree level (``indent``); 0 with tree comments off
    ordinal: int  # ``{comment-id}``: its number on the page, counted from the page's first thread
    blanked: bool


Render = Callable[[Shown], Markup]


class Listing:
    """The comments of one story as one configuration of the engine shows them."""

    def __init__(self, article: Article, mode: str, deleted: str) -> None:
        self.article = article
        self.mode = mode
        self.deleted = deleted

    def _kept(self, comments: list[Comment]) -> list[Comment]:
        if self.deleted == BLANKED:
            return comments
        return [c for c in comments if not c.deleted]

    def _walk(self, comment: Comment) -> Iterator[Comment]:
        yield comment
        for reply in self._kept(comment.replies):
            yield from self._walk(reply)

    def units(self) -> list[Comment]:
        """What a page counts: threads (tree) or comments in id order (flat)."""
        if self.mode == TREE:
            return self._kept(self.article.threads)
        return sorted(self._kept(list(self.article.comments())), key=lambda c: c.id)

    def count(self) -> int:
        """The story's comment count as the engine keeps it (``comm_num``): the comments still there."""
        if self.mode == TREE:
            return sum(1 for thread in self.units() for _ in self._walk(thread))
        return len(self.units())

    def pages(self) -> int:
        return max(1, -(-len(self.units()) // COMMENTS_PER_PAGE))

    def compile(self, page: int, render: Render) -> Markup:
        """The comments of *page*: the tree list, or the comments one after another (empty past the last page)."""
        chosen = self.units()[(page - 1) * COMMENTS_PER_PAGE : page * COMMENTS_PER_PAGE]
        if not chosen:
            return []
        counter = iter(range((page - 1) * COMMENTS_PER_PAGE + 1, 10**9))
        if self.mode == FLAT:
            out: Markup = []
            for comment in chosen:
                out += self._one(comment, 0, next(counter), render)
            return out
        return ['<ol class="comments-tree-list">', *self._tree(chosen, 0, counter, render), "</ol>"]

    def _one(self, comment: Comment, depth: int, ordinal: int, render: Render) -> Markup:
        shown = Shown(comment, depth, ordinal, blanked=comment.deleted)
        return [f"<div id='comment-id-{comment.id}'>", *render(shown), "</div>"]

    def _tree(self, nodes: list[Comment], depth: int, counter: Iterator[int], render: Render) -> Markup:
        out: Markup = []
        for node in nodes:
            out.append(f'<li id="comments-tree-item-{node.id}" class="comments-tree-item" >')
            out += self._one(node, depth, next(counter), render)
            replies = self._kept(node.replies)
            if replies:
                out += ['<ol class="comments-tree-list">', *self._tree(replies, depth + 1, counter, render), "</ol>"]
            out.append("</li>")
        return out


def page_block(comments: Markup) -> Markup:
    """The list as ``build_comments`` leaves it under a story: anchors, the mass-action form, the AJAX slot."""
    return [
        '<form method="post" name="dlemasscomments" id="dlemasscomments"><div id="dle-comments-list">\n',
        '<div id="comment"></div>', *comments, '\n<div id="dle-ajax-comments"></div>\n',
        "</div></form>\n",
    ]  # fmt: skip


def text_block(comment_id: int, html: str) -> str:
    """``{comment}``: the text in the engine's ``comm-id`` wrapper."""
    return f"<div id='comm-id-{comment_id}'>{html}</div>"
