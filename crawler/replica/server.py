"""The replica site on the wire: Twisted Web dressed as nginx in front of PHP.

PHP's pages (HTML, JSON, XML) go out chunked, gzip-compressed when the
request's ``Accept-Encoding`` allows it (nginx ``gzip on``), with
``X-Powered-By: PHP/7.4.33`` and ``Vary: Accept-Encoding``; story pages start a
session (``PHPSESSID`` and ``dle_newpm`` cookies, no-cache headers). Files from
disk (robots.txt, CSS, JS, images) and the 404 and 503 pages carry a
``Content-Length``. Pages are rendered once and kept; only their relative
dates are written per request, against the real clock.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import itertools
import logging
import re
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TextIO

from twisted.web.http import combinedLogFormatter, datetimeToString
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET, Request, Site

from crawler.replica.clock import MSK
from crawler.replica.conditional import not_modified
from crawler.replica.content import STORY_COUNT
from crawler.replica.latency import DelayedResource
from crawler.replica.reply import Reply, not_modified_reply
from crawler.replica.routes import Router
from crawler.replica.sites import build_site
from crawler.replica.variant import Variant

logger = logging.getLogger(__name__)

WRITE_SIZE = 16384  # nginx hands PHP's output on in buffers; each becomes one chunk
GZIP_LEVEL = 1  # nginx's default gzip_comp_level
SESSION_LIFETIME = timedelta(days=365)
_HOST = re.compile(rb"[A-Za-z0-9.-]+(?::\d{1,5})?|\[[0-9A-Fa-f:.]+\](?::\d{1,5})?")
_REASONS = {301: b"Moved Permanently", 304: b"Not Modified", 400: b"Bad Request", 404: b"Not Found", 405: b"Not Allowed", 503: b"Service Temporarily Unavailable"}


@functools.lru_cache(maxsize=64)
def accepts_gzip(accept_encoding: bytes) -> bool:
    """Whether an ``Accept-Encoding`` value allows gzip (listed, or ``*``, and not with ``q=0``)."""
    for item in accept_encoding.lower().split(b","):
        coding, _, params = item.strip().partition(b";")
        if coding.strip() in (b"gzip", b"x-gzip", b"*"):
            q = params.strip().removeprefix(b"q=")
            try:
                return not params or float(q) > 0
            except ValueError:
                return False
    return False


@dataclass
class _Body:
    """A page as last sent: the texts of its relative dates, its bytes, and their gzip copy once asked for."""

    texts: tuple[str, ...]
    plain: bytes
    packed: bytes | None = None


class ReplicaResource(Resource):
    """The one resource behind every URL: routes the request and writes the reply."""

    isLeaf = True

    def __init__(self, router: Router) -> None:
        super().__init__()
        self.router = router
        self._bodies: dict[tuple, _Body] = {}
        self._generation = router.generation
        self._sessions = itertools.count(1)

    def render(self, request: Request) -> int:
        if request.method not in (b"GET", b"HEAD", b"POST"):
            reply = Reply(status=405, body=b"", php=False, headers=[("Allow", "GET, HEAD, POST")])
            host = ""
        else:
            host = self._host(request)
            args = {k.decode("latin-1"): v[0].decode("utf-8", "replace") for k, v in request.args.items() if v}
            reply = self.router.route(host, request.path.decode("latin-1"), args)
        self._send(request, reply, host)
        return NOT_DONE_YET

    @staticmethod
    def _host(request: Request) -> str:
        raw = request.getHeader(b"host")
        if raw and _HOST.fullmatch(raw):
            return raw.decode("ascii")
        address = request.getHost()
        return f"{address.host}:{address.port}"

    def _body(self, reply: Reply, host: str, gzipped: bool) -> bytes:
        """The bytes to send; a page's last rendering (and its gzip copy) is reused while its dates hold."""
        page = reply.page
        if self._generation != self.router.generation:
            # The clock moved: every page kept so far shows the site as it was.
            self._bodies.clear()
            self._generation = self.router.generation
        if page is None:
            return gzip.compress(reply.body, GZIP_LEVEL, mtime=0) if gzipped else reply.body
        texts = () if page.is_static else page.slot_texts(datetime.now(MSK))
        key = (host, *reply.cache_key) if reply.cache_key else None
        body = self._bodies.get(key) if key else None
        if body is None or body.texts != texts:
            body = _Body(texts, page.fill(texts))
            if key:
                self._bodies[key] = body
        if not gzipped:
            return body.plain
        if body.packed is None:
            body.packed = gzip.compress(body.plain, GZIP_LEVEL, mtime=0)
        return body.packed

    def _send(self, request: Request, reply: Reply, host: str) -> None:
        headers = request.responseHeaders
        if reply.etag is not None and reply.status == 200 and request.method != b"POST" and not_modified(
                request.getHeader(b"if-none-match"), request.getHeader(b"if-modified-since"),
                reply.etag, reply.last_modified):
            reply = not_modified_reply(reply)
        request.setResponseCode(reply.status, _REASONS.get(reply.status))
        headers.setRawHeaders(b"Server", [b"nginx"])
        content_type = reply.page.content_type if reply.page is not None else reply.content_type
        headers.setRawHeaders(b"Content-Type", [content_type.encode()])
        gzipped = reply.php and reply.status == 200 and accepts_gzip(request.getHeader(b"accept-encoding") or b"")
        body = self._body(reply, host, gzipped)
        if not reply.php or reply.cut:
            headers.setRawHeaders(b"Content-Length", [b"%d" % len(body)])
        if not headers.hasHeader(b"connection"):
            headers.setRawHeaders(b"Connection", [b"keep-alive"])
        if reply.php:
            headers.setRawHeaders(b"Vary", [b"Accept-Encoding"])
            headers.setRawHeaders(b"X-Powered-By", [b"PHP/7.4.33"])
        if reply.session:
            self._start_session(request)
        if reply.last_modified is not None:
            headers.setRawHeaders(b"Last-Modified", [datetimeToString(reply.last_modified)])
        if reply.etag is not None:
            headers.setRawHeaders(b"ETag", [reply.etag.encode()])
        for name, value in reply.headers:
            headers.addRawHeader(name.encode(), value.encode())
        if gzipped:
            headers.setRawHeaders(b"Content-Encoding", [b"gzip"])
        for start in range(0, len(body), WRITE_SIZE):
            request.write(body[start : start + WRITE_SIZE])
        request.finish()

    def _start_session(self, request: Request) -> None:
        number = next(self._sessions)
        session = hashlib.sha1(f"{self.router.content.seed}/session/{number}".encode()).hexdigest()[:26]
        expires = datetime.now(UTC) + SESSION_LIFETIME
        headers = request.responseHeaders
        headers.addRawHeader(b"Set-Cookie", f"PHPSESSID={session}; path=/; HttpOnly".encode())
        headers.addRawHeader(
            b"Set-Cookie",
            f"dle_newpm=0; expires={expires:%a, %d-%b-%Y %H:%M:%S} GMT; "
            f"Max-Age={int(SESSION_LIFETIME.total_seconds())}; "
            "path=/; HttpOnly".encode(),
        )
        headers.setRawHeaders(b"Expires", [b"Thu, 19 Nov 1981 08:52:00 GMT"])
        headers.setRawHeaders(b"Cache-Control", [b"no-store, no-cache, must-revalidate"])
        headers.setRawHeaders(b"Pragma", [b"no-cache"])


class ReplicaSite(Site):
    """A Twisted site that writes an access log line per request to ``access_log``, if set."""

    access_log: TextIO | None = None
    displayTracebacks = False

    def log(self, request: Request) -> None:
        if self.access_log is not None:
            self.access_log.write(combinedLogFormatter(self._logDateTime, request) + "\n")


def make_site(
    seed: int | None = None,
    now: datetime | None = None,
    articles: int = STORY_COUNT,
    theme: str | None = None,
    variant: Variant | None = None,
    clock: datetime | None = None,
) -> ReplicaSite:
    """The replica site for *seed*, its fresh stories placed relative to *now* (default: this moment).

    *articles* is the number of stories on the main listing, fixed ones included
    (ValueError outside the site's range, or for a *now* before November 2026).
    *theme* names the markup (default: the site's own); *variant* gives the
    site and every engine option at once (:class:`~crawler.replica.variant.Variant`);
    ValueError for a combination no theme shows. *clock*, if given, serves the
    site as it stands at that later moment (:mod:`crawler.replica.timeline`);
    ValueError when it is before *now*.
    """
    variant = variant or Variant()
    if theme is not None:
        variant = replace(variant, theme=theme)
    variant = variant.resolved()
    router = Router(build_site(variant.site, seed, now, articles), variant)
    if clock is not None:
        router.move_clock(clock)
    return ReplicaSite(ReplicaResource(router))


def serve_forever(
    port: int = 8080,
    seed: int | None = None,
    host: str = "127.0.0.1",
    now: datetime | None = None,
    articles: int = STORY_COUNT,
    variant: Variant | None = None,
    clock: datetime | None = None,
    latency: float = 0.0,
) -> int:
    """Serve the replica on *host*:*port* until SIGINT or SIGTERM; print its URL first.

    Returns 0 after a clean stop, 2 when the port cannot be opened; raises
    ValueError for arguments :func:`make_site` refuses. *latency*: seconds every answer waits.
    """
    from twisted.internet import reactor
    from twisted.internet.error import CannotListenError

    site = make_site(seed, now, articles, variant=variant, clock=clock)
    if latency:
        site.resource = DelayedResource(site.resource, latency)
    site.access_log = sys.stderr
    try:
        listening = reactor.listenTCP(port, site, interface=host)
    except CannotListenError as e:
        print(f"newsarchive replica: cannot listen on {host}:{port}: {e.socketError}", file=sys.stderr)
        return 2
    print(f"http://{host}:{listening.getHost().port}/", flush=True)
    reactor.run()
    return 0
