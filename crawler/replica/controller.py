"""DLE's AJAX controller for further comment pages, ``/engine/ajax/controller.php?mod=comments``.

Two of its pages misbehave on purpose: one answers nginx's ``503 Service
Temporarily Unavailable`` the first time it is asked for in the server's life
(a retried capture), one always comes back as cut-off JSON.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.replica.model import Kind
from crawler.replica.reply import Reply
from crawler.replica.templates import Page

if TYPE_CHECKING:
    from crawler.replica.routes import Router

OVERLOADED_ONCE = (213406, 7)  # (news_id, cstart) of the page that fails the first time
MALFORMED = (207880, 2)  # (news_id, cstart) of the page whose JSON is always cut off
MALFORMED_KEEPS = 0.6  # share of that page's bytes that arrive
NOT_FOUND_JSON = '{"error":"The publication you are looking for was not found or you do not have access to it."}'
NGINX_503 = (
    b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    b"<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


def _number(text: str | None) -> int:
    """PHP's ``intval``: leading digits, or 0."""
    digits = ""
    for ch in (text or "").strip():
        if not ch.isdigit():
            break
        digits += ch
    return int(digits) if digits else 0


class CommentsController:
    """Answers comment-page requests with JSON, as DLE 15 does."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._failed_once: set[tuple[int, int]] = set()

    def reply(self, host: str, args: dict[str, str]) -> Reply | None:
        if args.get("mod") != "comments":
            return None
        news_id, page = _number(args.get("news_id")), max(1, _number(args.get("cstart")))
        article = self.router.content.articles.get(news_id)
        if article is None or article.kind is Kind.GONE:
            body, content_type = self.router.renderer(host).unknown_story()
            return Reply(body=body, content_type=content_type)
        key = (news_id, page)
        if key == OVERLOADED_ONCE and key not in self._failed_once:
            self._failed_once.add(key)
            return Reply(status=503, body=NGINX_503, php=False)
        # DLE adds an empty AJAX slot to the list unless asked not to (its own pager's script does ask).
        massact = args.get("massact") != "disable"
        if key == MALFORMED:
            build = lambda r: _cut(r.comments_json(article, page, massact), self.router.content.anchor)  # noqa: E731
        else:
            build = lambda r: r.comments_json(article, page, massact)  # noqa: E731
        content = self.router.content
        validators = {}
        if content.clock is not None:
            validators = {"last_modified": content.last_modified(article).timestamp(), "etag": content.etag(article, page)}
        return self.router.html(host, ("comments", news_id, page, massact), build, **validators)


def _cut(page: Page, anchor) -> Page:
    """*page* stopped part-way, as when PHP runs out of time mid-``echo``."""
    if not page.is_static:
        raise ValueError("only a page without relative dates can be cut to a fixed length")
    body = page.body(anchor)
    return Page((body[: int(len(body) * MALFORMED_KEEPS)],), page.encoding, page.escape, page.content_type)
