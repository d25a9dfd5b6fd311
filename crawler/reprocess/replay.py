"""From an archived HTTP response's bytes to the Scrapy ``Response`` the live download handler built.

Scrapy's HTTP/1.1 handler reads responses through Twisted, which keeps the
status line's code and version, strips each header value, joins folded
header lines, keeps connection-control headers (``Content-Length``,
``Transfer-Encoding``, ``Connection``…) apart, removes the chunked framing
and leaves ``Content-Encoding`` to HttpCompressionMiddleware; Scrapy then puts
back a ``Content-Length`` when the length was known and picks the response
class from the headers and body. :func:`build_response` does the same from
the stored bytes, so pages and items come out as they did live.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address

from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from crawler.warc.records import http_head_length, interim_responses_length

# Twisted's HTTPParser.CONNECTION_CONTROL_HEADERS: not part of the response's headers.
_CONNECTION_CONTROL = frozenset({
    b"content-length", b"connection", b"keep-alive", b"te", b"trailers", b"transfer-encoding", b"upgrade",
    b"proxy-connection",
})
_NO_BODY_CODES = frozenset({204, 304})


class NotAnHttpResponse(ValueError):
    """The stored bytes do not start with an HTTP status line."""


@dataclass(frozen=True)
class HttpHead:
    """An HTTP response head: version, status code and header lines (name, value) in order."""

    protocol: str
    status: int
    headers: list[tuple[bytes, bytes]]

    def get(self, name: bytes) -> bytes | None:
        """The first value of the header *name* (given in lower case), if there is one."""
        for header, value in self.headers:
            if header.lower() == name:
                return value
        return None

    def without(self, name: bytes) -> HttpHead:
        """This head less the header *name* (given in lower case)."""
        return HttpHead(self.protocol, self.status, [(h, v) for h, v in self.headers if h.lower() != name])


def split_message(message: bytes) -> tuple[HttpHead, bytes]:
    """The head and the payload (everything after the blank line) of an HTTP response.

    1xx interim responses stored before it (``100 Continue``) are passed over, as Twisted does.
    """
    message = message[interim_responses_length(message):]
    head_length = http_head_length(message)
    return parse_head(message[:head_length]), message[head_length:]


def parse_head(head: bytes) -> HttpHead:
    """Read a response head the way Twisted's client does (stripped values, folded lines joined)."""
    lines = head.split(b"\n")
    status_line = lines[0].rstrip(b"\r")
    parts = status_line.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not (parts[1].isdigit() and len(parts[1]) == 3):
        raise NotAnHttpResponse(f"not an HTTP status line: {status_line[:80]!r}")
    headers: list[tuple[bytes, bytes]] = []
    for raw in lines[1:]:
        line = raw.rstrip(b"\r")
        if not line:
            continue
        if line[:1] in (b" ", b"\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, (value + line).strip())
            continue
        name, sep, value = line.partition(b":")
        if sep:
            headers.append((name.strip(), value.strip()))
    return HttpHead(parts[0].decode("ascii", "replace"), int(parts[1]), headers)


def dechunk(payload: bytes) -> tuple[bytes, bool]:
    """The body inside chunked framing, and whether the framing was whole (ended by a 0-size chunk)."""
    body = bytearray()
    position = 0
    while True:
        line_end = payload.find(b"\n", position)
        if line_end < 0:
            return bytes(body), False
        size_text = payload[position:line_end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return bytes(body), False
        if size == 0:
            return bytes(body), True
        start = line_end + 1
        body += payload[start : start + size]
        if start + size > len(payload):
            return bytes(body), False
        position = start + size
        if payload.startswith(b"\r\n", position):
            position += 2
        elif payload.startswith(b"\n", position):
            position += 1


_CHUNK_SIZE_LINE = re.compile(rb"[0-9a-fA-F]{1,16}[ \t]*(?:;[^\r\n]*)?\r?\n")


def _starts_chunked(payload: bytes) -> bool:
    """Whether *payload* opens with a chunk-size line (hex digits, maybe extensions, then a line end)."""
    return _CHUNK_SIZE_LINE.match(payload, 0, 200) is not None


def decode_payload(head: HttpHead, payload: bytes, method: str = "GET") -> tuple[bytes, list[str]]:
    """The body Twisted hands Scrapy (chunked framing removed, Content-Length applied), and the response's flags.

    ``dataloss``: the body is shorter than its framing says; ``partial``: only
    the connection closing ended it, so nothing says it is whole.
    """
    if head.status in _NO_BODY_CODES or method == "HEAD":
        return b"", []
    transfer = head.get(b"transfer-encoding")
    if transfer is not None and transfer.lower() == b"chunked":
        if payload and not _starts_chunked(payload):
            # Stored without its chunked framing (the Internet Archive's writers do this, and may add a
            # Content-Length of -1): the payload is the body, however the head describes it.
            return payload, []
        body, whole = dechunk(payload)
        return body, [] if whole else ["dataloss"]
    length = announced_length(head, method)
    if length is not None:
        return payload[:length], [] if len(payload) >= length else ["dataloss"]
    return payload, ["partial"]


def announced_length(head: HttpHead, method: str = "GET") -> int | None:
    """The body length Twisted knows before reading it (Scrapy reports it as Content-Length); None: unknown."""
    if head.status in _NO_BODY_CODES or method == "HEAD":
        return 0
    transfer = head.get(b"transfer-encoding")
    if transfer is not None and transfer.lower() == b"chunked":
        return None
    text = head.get(b"content-length")
    return int(text) if text is not None and text.isdigit() else None


def build_response(
    url: str, head: HttpHead, body: bytes, *, length: int | None, flags: list[str] | None = None,
    ip: str | None = None,
) -> Response:
    """The Scrapy response for *url*: *head*'s status and headers, *body* as decoded by :func:`decode_payload`."""
    headers = Headers()
    if length is not None:
        headers[b"Content-Length"] = str(length).encode()
    for name, value in head.headers:
        if name.lower() not in _CONNECTION_CONTROL:
            headers.appendlist(name, value)
    response_class = responsetypes.from_args(headers=headers, url=url, body=body)
    return response_class(
        url=url, status=head.status, headers=headers, body=body, flags=flags,
        ip_address=_ip(ip), protocol=head.protocol,
    )


def _ip(text: str | None) -> IPv4Address | IPv6Address | None:
    if not text:
        return None
    try:
        return ip_address(text.strip())
    except ValueError:
        return None
