"""A reply before it is put on the wire: status, body and how PHP or nginx would send it."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.replica.templates import Page


@dataclass
class Reply:
    """What to send: a cached page (HTML, JSON, XML) or fixed bytes, and how."""

    status: int = 200
    page: Page | None = None
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"  # of ``body``; a page knows its own
    php: bool = True  # made by PHP: X-Powered-By, chunked, gzip when the client accepts it
    session: bool = False  # DLE started a session: two Set-Cookie headers and no-cache headers
    last_modified: float | None = None  # POSIX time
    etag: str | None = None  # a validator: with it, conditional requests may be answered 304
    headers: list[tuple[str, str]] = field(default_factory=list)
    cache_key: tuple | None = None  # the page's identity, for keeping its gzip copy
    cut: bool = False  # a PHP page cut short: sent with a Content-Length of the bytes there are


def redirect(location: str) -> Reply:
    """DLE's ``header('Location: ...'); die('Redirect');``."""
    return Reply(status=301, body=b"Redirect", headers=[("Location", location)], cache_key=None)


def not_modified_reply(reply: Reply) -> Reply:
    """The ``304 Not Modified`` answer for *reply*'s page: its validators, no body."""
    return Reply(status=304, php=reply.php, last_modified=reply.last_modified, etag=reply.etag,
                 headers=list(reply.headers))
