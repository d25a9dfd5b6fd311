"""The WordPress replica on the wire: Twisted Web dressed as nginx in front of PHP-FPM.

PHP's answers (pages, feeds, sitemaps, redirects) go out chunked, gzip-compressed
when ``Accept-Encoding`` allows it, with ``X-Powered-By`` and ``Vary``; files
(robots.txt is WordPress's virtual one here, but served with a length as a
cache would; images, CSS) carry a ``Content-Length``. Only GET and HEAD.
"""

from __future__ import annotations

import gzip
import re
import sys
from typing import TextIO

from twisted.web.http import combinedLogFormatter
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET, Request, Site

from crawler.replica.wordpress.content import build
from crawler.replica.wordpress.routes import Reply, Router

WRITE_SIZE = 16384
_HOST = re.compile(rb"[A-Za-z0-9.-]+(?::\d{1,5})?|\[[0-9A-Fa-f:.]+\](?::\d{1,5})?")
_REASONS = {301: b"Moved Permanently", 404: b"Not Found", 405: b"Method Not Allowed"}


def accepts_gzip(accept_encoding: bytes) -> bool:
    """Whether an ``Accept-Encoding`` value lists gzip (or ``*``) without ``q=0``."""
    for item in accept_encoding.lower().split(b","):
        coding, _, params = item.strip().partition(b";")
        if coding.strip() in (b"gzip", b"x-gzip", b"*"):
            return params.strip().replace(b" ", b"") not in (b"q=0", b"q=0.0", b"q=0.00", b"q=0.000")
    return False


class WordPressResource(Resource):
    """The one resource behind every URL."""

    isLeaf = True

    def __init__(self, router: Router) -> None:
        super().__init__()
        self.router = router

    def render(self, request: Request) -> int:
        if request.method not in (b"GET", b"HEAD"):
            reply = Reply(405, b"", php=False, headers=[("Allow", "GET, HEAD")])
        else:
            raw = request.getHeader(b"host")
            if raw and _HOST.fullmatch(raw.encode() if isinstance(raw, str) else raw):
                host = raw if isinstance(raw, str) else raw.decode("ascii")
            else:
                address = request.getHost()
                host = f"{address.host}:{address.port}"
            query = {k.decode("latin-1"): v[0].decode("utf-8", "replace") for k, v in request.args.items() if v}
            reply = self.router.route(host, request.path.decode("latin-1"), query)
        self._send(request, reply)
        return NOT_DONE_YET

    @staticmethod
    def _send(request: Request, reply: Reply) -> None:
        headers = request.responseHeaders
        request.setResponseCode(reply.status, _REASONS.get(reply.status))
        headers.setRawHeaders(b"Server", [b"nginx"])
        headers.setRawHeaders(b"Content-Type", [reply.content_type.encode()])
        body = reply.body
        if reply.php:
            headers.setRawHeaders(b"X-Powered-By", [b"PHP/8.2.16"])
            headers.setRawHeaders(b"Vary", [b"Accept-Encoding"])
            if body and accepts_gzip(request.getHeader(b"accept-encoding") or b""):
                body = gzip.compress(body, 1, mtime=0)
                headers.setRawHeaders(b"Content-Encoding", [b"gzip"])
        else:
            headers.setRawHeaders(b"Content-Length", [b"%d" % len(body)])
        for name, value in reply.headers:
            headers.addRawHeader(name.encode(), value.encode())
        for start in range(0, len(body), WRITE_SIZE):
            request.write(body[start : start + WRITE_SIZE])
        request.finish()


class WordPressSite(Site):
    """A Twisted site that writes an access log line per request to ``access_log``, if set."""

    access_log: TextIO | None = None
    displayTracebacks = False

    def log(self, request: Request) -> None:
        if self.access_log is not None:
            self.access_log.write(combinedLogFormatter(self._logDateTime, request) + "\n")


def make_site(seed: int | None = None) -> WordPressSite:
    """The WordPress replica for *seed* (default: the bundled one) as a Twisted site."""
    return WordPressSite(WordPressResource(Router(build(seed))))


def serve_forever(port: int = 8080, seed: int | None = None, host: str = "127.0.0.1") -> int:
    """Serve the WordPress replica on *host*:*port* until SIGINT or SIGTERM; print its URL first.

    Returns 0 after a clean stop, 2 when the port cannot be opened.
    """
    from twisted.internet import reactor
    from twisted.internet.error import CannotListenError

    site = make_site(seed)
    site.access_log = sys.stderr
    try:
        listening = reactor.listenTCP(port, site, interface=host)
    except CannotListenError as e:
        print(f"newsarchive replica: cannot listen on {host}:{port}: {e.socketError}", file=sys.stderr)
        return 2
    print(f"http://{host}:{listening.getHost().port}/", flush=True)
    reactor.run()
    return 0
