"""The words of the site, written on first use and kept: story bodies and comment texts.

Each text comes from a generator seeded by its story's ``text_seed`` and its
own id, so the same site writes the same words whichever page asks first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from crawler.replica.commenttext import CommentText, comment_text
from crawler.replica.model import Article, Comment
from crawler.replica.remarks import Scene
from crawler.replica.textbank import banks, body_for


@dataclass(frozen=True)
class StoryText:
    """What the full story shows besides its metadata."""

    html: str
    teaser: str
    image_src: str | None
    photo_credit: str | None


class Prose:
    """Writes and remembers story bodies and comment texts."""

    def __init__(self) -> None:
        self._stories: dict[int, StoryText] = {}
        self._comments: dict[int, CommentText] = {}

    def story(self, article: Article) -> StoryText:
        text = self._stories.get(article.id)
        if text is None:
            text = self._stories[article.id] = self._write_story(article)
        return text

    def _write_story(self, article: Article) -> StoryText:
        if article.body_html is not None:
            return StoryText(article.body_html, article.teaser or "", article.image_src, article.photo_credit)
        assert article.topic is not None, f"story {article.id} has neither a body nor a topic"
        rng = random.Random(f"{article.text_seed}/body")
        image = None
        if rng.random() < 0.8:
            word = max(article.slug.split("-"), key=len) or "photo"
            stamp = int(article.posted.timestamp()) + rng.randint(5, 900)
            image = f"/uploads/posts/{article.posted:%Y-%m}/{stamp}_{word}.jpg"
        credit = None
        if rng.random() < 0.6:
            credit = "Used photos: " + rng.choice(banks()["photo_credits"])
        body = body_for(rng, article.topic, article.title, image)
        return StoryText(body.html, body.teaser, image, credit)

    def comment(self, article: Article, comment: Comment) -> CommentText:
        """The text of *comment* on *article* (its parent's text is written first, to be quoted)."""
        text = self._comments.get(comment.id)
        if text is not None:
            return text
        if comment.html is not None:
            text = CommentText(comment.html, comment.html)
        else:
            assert article.topic is not None, f"comment {comment.id} has neither a text nor a topic"
            parent = None if comment.parent is None else self.comment(article, comment.parent)
            scene = Scene(
                kind=article.topic.kind,
                slots=article.topic.slots,
                posted=article.posted,
                story_author=article.author,
                lead=self.story(article).teaser,
                author=comment.author,
                parent_author=None if comment.parent is None else comment.parent.author,
            )
            rng = random.Random(f"{article.text_seed}/{comment.id}")
            text = comment_text(rng, scene, parent)
        self._comments[comment.id] = text
        return text
