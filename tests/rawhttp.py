"""A raw HTTP/1.1 test server that answers with canned bytes, exactly as written here.

Real servers normalize what they send (header case and order, status text,
framing); the WARC tests need byte-exact control, so each path below maps to
the literal bytes to write. Run as ``python tests/rawhttp.py``: it listens on
127.0.0.1 (a free port) and prints its base URL on the first line of stdout.
Connections are kept alive unless a response says otherwise.

``python tests/rawhttp.py KEY_AND_CERT.pem`` serves the same over HTTPS.

Special paths: ``/echo`` answers with the request's own bytes as the body;
``/flaky?…`` answers 503 the first time each full path is asked, 200 after;
``/slow`` never answers (a crawl waits there until it is killed).
"""

from __future__ import annotations

import gzip
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from twisted.internet import protocol

ROBOTS_TXT = b"User-agent: *\r\nDisallow: /private/\r\n"


def page(name: str) -> bytes:
    """A small HTML page of its own for each path, so no two trap pages share a payload."""
    return f"<html><head><title>{name}</title></head><body><p>The {name} page.</p></body></html>\n".encode()


SHARED_BODY = b"<html><body>The same bytes at two URLs.</body></html>\n"
GZIP_BODY = gzip.compress(b"<html><body>" + b"compressible text " * 200 + b"</body></html>\n", mtime=0)
PNG_BODY = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + bytes(range(256))


def _fixed(head: bytes, body: bytes) -> bytes:
    return head.replace(b"{length}", str(len(body)).encode()) + body


def _chunked(*chunks: bytes, trailer: bytes = b"") -> bytes:
    """Chunked framing with sizes in lower-case hex, a chunk extension on the second chunk, and *trailer*."""
    sizes = [f"{len(chunk):x}{';ext=1' if i == 1 else ''}\r\n".encode() for i, chunk in enumerate(chunks)]
    framed = [size + chunk + b"\r\n" for size, chunk in zip(sizes, chunks, strict=True)]
    return b"".join(framed) + b"0\r\n" + trailer + b"\r\n"


CANNED: dict[bytes, bytes] = {
    b"/robots.txt": _fixed(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {length}\r\n\r\n", ROBOTS_TXT
    ),
    b"/page?b=2&a=1&q=caf%C3%A9": _fixed(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {length}\r\n\r\n",
        page("query"),
    ),
    b"/cookies": _fixed(
        b"HTTP/1.1 200 OK\r\nSet-Cookie: a=1; Path=/\r\nContent-Type: text/html\r\n"
        b"Set-Cookie: b=2; Path=/; HttpOnly\r\nContent-Length: {length}\r\n\r\n",
        page("cookies"),
    ),
    b"/latin1-header": _fixed(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Note: d\xe9j\xe0 vu \xff\xfe\r\n"
        b"Content-Length: {length}\r\n\r\n",
        page("latin1"),
    ),
    b"/http10": b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + page("http10"),
    b"/gzip": _fixed(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
        b"Vary: Accept-Encoding\r\nContent-Length: {length}\r\n\r\n",
        GZIP_BODY,
    ),
    b"/chunked": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    + _chunked(
        b"<html><body>first chunk, ", b"then a second one.</bo", b"dy></html", b"\n", trailer=b"X-Trailer: yes\r\n"
    ),
    # warcio (and so pywb) cannot de-chunk a body with trailer fields; replay tests use this one.
    b"/chunked-no-trailer": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    + _chunked(b"<html><body>chunked, ", b"no trailer</body></html>\n"),
    b"/odd-case": _fixed(
        b"HTTP/1.1 200 Very Fine Indeed\r\nx-lower-case: a\r\nX-UPPER-CASE: B\r\ncontent-TYPE: text/html\r\n"
        b"Zeta: last-alphabetically-first\r\nAlpha: first-alphabetically-last\r\nContent-Length: {length}\r\n\r\n",
        page("odd-case"),
    ),
    b"/bare-lf": _fixed(b"HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: {length}\n\n", page("bare-lf")),
    b"/redirect": b"HTTP/1.1 301 Moved Permanently\r\nLocation: /page?b=2&a=1&q=caf%C3%A9\r\n"
    b"Content-Length: 0\r\n\r\n",
    b"/missing": _fixed(
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: {length}\r\n\r\n",
        b"<html><body>No such page.</body></html>\n",
    ),
    b"/image.png": _fixed(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {length}\r\n\r\n", PNG_BODY),
    b"/same-a": _fixed(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {length}\r\n\r\n", SHARED_BODY),
    b"/same-b": _fixed(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Served-By: b\r\nContent-Length: {length}\r\n\r\n",
        SHARED_BODY,
    ),
    b"/early-hints": b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
    + _fixed(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {length}\r\n\r\n", page("early-hints")),
}
SERVICE_UNAVAILABLE = _fixed(
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html\r\nRetry-After: 0\r\n"
    b"Content-Length: {length}\r\n\r\n",
    b"<html><body>Try again.</body></html>\n",
)
FLAKY_OK = _fixed(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {length}\r\n\r\n", page("flaky"))
NOT_FOUND = CANNED[b"/missing"]


class RawHTTPProtocol(protocol.Protocol):
    """Reads requests (head only, no bodies) and writes the canned bytes for each path."""

    def connectionMade(self) -> None:  # noqa: N802 (Twisted's name)
        self.buffer = b""

    def dataReceived(self, data: bytes) -> None:  # noqa: N802 (Twisted's name)
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            self.answer(head + b"\r\n\r\n")

    def answer(self, request: bytes) -> None:
        path = request.split(b" ", 2)[1]
        if path == b"/slow":
            return
        if path == b"/echo":
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {length}\r\n\r\n"
            self.transport.write(_fixed(head, request))
        elif path.startswith(b"/flaky"):
            seen = self.factory.seen
            self.transport.write(FLAKY_OK if path in seen else SERVICE_UNAVAILABLE)
            seen.add(path)
        else:
            self.transport.write(CANNED.get(path, NOT_FOUND))
        if path == b"/http10":
            self.transport.loseConnection()


class RawHTTPFactory(protocol.Factory):
    protocol = RawHTTPProtocol

    def __init__(self) -> None:
        self.seen: set[bytes] = set()


@contextmanager
def running_raw_server(tls_pem: Path | None = None) -> Iterator[str]:
    """Start this server in a subprocess; yield its base URL (``http://127.0.0.1:PORT``).

    With *tls_pem* (a PEM file holding a key and its certificate) it speaks HTTPS.
    """
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__)), *([str(tls_pem)] if tls_pem else [])], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    from twisted.internet import reactor, ssl

    if len(sys.argv) > 1:
        certificate = ssl.PrivateCertificate.loadPEM(Path(sys.argv[1]).read_text())
        port = reactor.listenSSL(0, RawHTTPFactory(), certificate.options(), interface="127.0.0.1")
        scheme = "https"
    else:
        port = reactor.listenTCP(0, RawHTTPFactory(), interface="127.0.0.1")
        scheme = "http"
    print(f"{scheme}://127.0.0.1:{port.getHost().port}", flush=True)
    reactor.run()


def write_self_signed_pem(path: Path) -> Path:
    """A throwaway key and certificate for 127.0.0.1, in one PEM file."""
    from datetime import datetime, timedelta, timezone
    from ipaddress import ip_address

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.write_bytes(pem_key + certificate.public_bytes(serialization.Encoding.PEM))
    return path


if __name__ == "__main__":
    main()
