"""Whether an archived body really is in the ``Content-Encoding`` its head declares.

Some crawlers store the body they decoded under the head the server sent,
``Content-Encoding: gzip`` and all. Scrapy would then fail to decompress it
and the page would be lost. Only the start of the body is tried (a few KiB:
enough to tell gzip, zlib, raw deflate and brotli data from text), so a body
that does decode is decoded once, by Scrapy, as in a live crawl.
"""

from __future__ import annotations

import zlib

import brotli

_PROBE = 4096
_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def stored_decoded(content_encoding: bytes | None, body: bytes) -> str | None:
    """The declared coding when *body* does not start as data in it (it was stored decoded); else ``None``.

    With several codings (``gzip, br``) the last one applied is checked; an
    unknown coding is not judged (Scrapy leaves it alone).
    """
    if not content_encoding or not body:
        return None
    coding = content_encoding.split(b",")[-1].strip().lower().decode("latin-1")
    start = body[:_PROBE]
    if coding in ("gzip", "x-gzip"):
        decodes = start.startswith(_GZIP_MAGIC)
    elif coding == "deflate":
        decodes = _inflates(start, zlib.MAX_WBITS) or _inflates(start, -zlib.MAX_WBITS)
    elif coding == "br":
        decodes = _unbrotlis(start)
    elif coding == "zstd":
        decodes = start.startswith(_ZSTD_MAGIC)
    else:
        return None
    return None if decodes else coding


def _inflates(data: bytes, wbits: int) -> bool:
    try:
        zlib.decompressobj(wbits).decompress(data, 1)
    except zlib.error:
        return False
    return True


def _unbrotlis(data: bytes) -> bool:
    try:
        brotli.Decompressor().process(data)
    except brotli.error:
        return False
    return True
