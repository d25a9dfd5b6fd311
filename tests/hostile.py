"""Hostile HTTP servers for the fault tests: raw sockets on 127.0.0.1, misbehaving on purpose.

Real servers tidy up what they send; these do exactly what a broken or
unfriendly server does on the wire: cut a body short and close, reset the
connection mid-body, send more bytes than ``Content-Length`` says, serve a
corrupt gzip body or a gzip bomb, loop redirects, answer 5xx, never answer.

A :class:`HostileServer` runs in a thread of the test process (no Twisted
reactor here: reprocessing forks workers, which a reactor in this process
would change) and notes every request path it was asked for, in order.
Each path maps to a :data:`Behaviour`: a function given the connected socket
and the request's head that writes whatever it likes and returns; the
connection is then closed (every response says ``Connection: close``, so
each exchange has a connection of its own, and a cut is never mistaken for
the start of the next response). ``/robots.txt`` is a path like any other.
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Behaviour = Callable[[socket.socket, bytes], None]

HTML = "text/html; charset=utf-8"


def page(name: str, words: str = "") -> bytes:
    """A small article-like HTML page of its own for *name*."""
    return (f"<!doctype html><html><head><title>The {name} page</title>"
            '<meta property="article:published_time" content="2026-01-25T08:00:00+00:00">'
            f"</head><body><article><h1>The {name} page"
            f"</h1><p>This is the {name} page of the hostile test site. {words}</p></article></body></html>\n"
            ).encode()


def head(status: str = "200 OK", content_type: str = HTML, length: int | None = None,
         extra: tuple[str, ...] = ()) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}", "Connection: close", *extra]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def respond(body: bytes, status: str = "200 OK", content_type: str = HTML, extra: tuple[str, ...] = ()) -> Behaviour:
    """A well-formed response with a right ``Content-Length``."""
    data = head(status, content_type, len(body), extra) + body

    def behave(conn: socket.socket, request: bytes) -> None:
        conn.sendall(data)
    return behave


def robots(text: str) -> Behaviour:
    return respond(text.encode(), content_type="text/plain")


def cut_short(body: bytes, claimed: int, content_type: str = HTML) -> Behaviour:
    """``Content-Length: claimed`` but only *body* is sent, then the connection is closed (FIN)."""
    assert claimed > len(body)

    def behave(conn: socket.socket, request: bytes) -> None:
        conn.sendall(head(content_type=content_type, length=claimed) + body)
    return behave


def reset_mid_body(body: bytes, sent: int) -> Behaviour:
    """Announces all of *body*, sends its first *sent* bytes, then resets the connection (RST)."""
    def behave(conn: socket.socket, request: bytes) -> None:
        conn.sendall(head(length=len(body)) + body[:sent])
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return behave


def overlong(body: bytes, extra: bytes) -> Behaviour:
    """``Content-Length`` says len(body), then *body* and *extra* are sent."""
    def behave(conn: socket.socket, request: bytes) -> None:
        conn.sendall(head(length=len(body)) + body + extra)
    return behave


def bad_gzip(body: bytes) -> Behaviour:
    """``Content-Encoding: gzip`` over a gzip stream whose deflate data is corrupted."""
    packed = bytearray(gzip.compress(body, mtime=0))
    for i in range(12, min(len(packed) - 8, 40)):
        packed[i] ^= 0x5A
    return respond(bytes(packed), extra=("Content-Encoding: gzip",))


def gzip_bomb(size: int) -> Behaviour:
    """``Content-Encoding: gzip`` over *size* zero bytes (about a thousandth of that on the wire)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    chunk = bytes(1 << 20)
    packed = b"".join(compressor.compress(chunk) for _ in range(size >> 20)) + compressor.flush()
    return respond(packed, extra=("Content-Encoding: gzip",))


def redirect(location: str, status: str = "302 Found") -> Behaviour:
    return respond(b"", status=status, extra=(f"Location: {location}",))


def status(code: str, retry_after: str | None = None) -> Behaviour:
    extra = (f"Retry-After: {retry_after}",) if retry_after is not None else ()
    return respond(f"<html><body>{code}</body></html>\n".encode(), status=code, extra=extra)


def slow_body(body: bytes, pieces: int) -> Behaviour:
    """A whole response, its body dribbled out in *pieces* separate writes."""
    def behave(conn: socket.socket, request: bytes) -> None:
        conn.sendall(head(length=len(body)))
        step = max(1, len(body) // pieces)
        for start in range(0, len(body), step):
            conn.sendall(body[start:start + step])
            threading.Event().wait(0.02)  # a trickle, not a timing assertion
    return behave


def never_answers(stop: threading.Event) -> Behaviour:
    """Reads the request and says nothing until the server stops."""
    def behave(conn: socket.socket, request: bytes) -> None:
        stop.wait()
    return behave


def not_found() -> Behaviour:
    return status("404 Not Found")


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        conn: socket.socket = self.request
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        request = data.split(b"\r\n\r\n", 1)[0]
        path = request.split(b" ", 2)[1].decode("latin-1")
        with self.server.lock:
            self.server.requested.append(path)
        behaviour = self.server.routes.get(path) or self.server.routes.get("*") or not_found()
        try:
            behaviour(conn, request)
        except OSError:
            pass  # the client went away first: its business


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, routes: dict[str, Behaviour]):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.requested: list[str] = []
        self.lock = threading.Lock()


class HostileServer:
    """A running hostile server: ``url`` (no trailing slash), ``requested`` paths, ``stopping`` event."""

    def __init__(self, routes: dict[str, Behaviour], stopping: threading.Event):
        self._server = _Server(routes)
        self.stopping = stopping
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def requested(self) -> list[str]:
        with self._server.lock:
            return list(self._server.requested)

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def hostile_server(routes: Callable[[threading.Event], dict[str, Behaviour]] | dict[str, Behaviour]
                   ) -> Iterator[HostileServer]:
    """Serve *routes* (or what *routes* builds, given the server's stopping event) until the block ends."""
    stopping = threading.Event()
    server = HostileServer(routes(stopping) if callable(routes) else routes, stopping)
    try:
        yield server
    finally:
        server.stop()
