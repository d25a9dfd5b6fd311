"""What kind of archive file a file is, told from its first bytes (never from its name).

Tools name files loosely (``.warc`` that is gzipped, ``.arc`` that is a
WARC, ``.gz.bad``), so the reader looks at the bytes: a WARC or an ARC file,
plain or gzipped record by record; a ZIP (a WACZ package, opened by
:mod:`crawler.warc.inputs`); or a compression no WARC tool reads, named so
the user knows what to do with it.
"""

from __future__ import annotations

import zlib

WARC = "warc"
ARC = "arc"
ZIP = "zip"

GZIP_MAGIC = b"\x1f\x8b\x08"
ZIP_MAGIC = b"PK\x03\x04"
_PROBE = 1 << 14

# Compressions that WARC readers (warcio, pywb, cdxj-indexer) do not read: what they are, and how to undo them.
_UNSUPPORTED = (
    (b"\x04\x22\x4d\x18", "LZ4-compressed", "lz4 -d"),
    (b"\x28\xb5\x2f\xfd", "zstandard-compressed", "zstd -d"),
    (b"BZh", "bzip2-compressed", "bunzip2"),
    (b"\xfd7zXZ\x00", "xz-compressed", "unxz"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "7z x"),
    (b"Rar!\x1a\x07", "a RAR archive", "unrar x"),
)


class UnsupportedFormat(ValueError):
    """The file is no archive this reader can read; the message says what it is, in plain words."""


def archive_format(head: bytes) -> tuple[str, bool]:
    """The format of a file starting with *head* (``warc``, ``arc`` or ``zip``), and whether it is gzipped.

    Raises :class:`UnsupportedFormat` naming what the file is instead.
    """
    gzipped = head.startswith(GZIP_MAGIC[:2])
    text = _gunzip_start(head) if gzipped else head
    if text.startswith(b"WARC/") or (not gzipped and b"\nWARC/1." in head):
        return WARC, gzipped
    if text.startswith(b"filedesc:"):
        return ARC, gzipped
    if head.startswith(ZIP_MAGIC) and not gzipped:
        return ZIP, False
    for magic, what, undo in _UNSUPPORTED:
        if head.startswith(magic):
            raise UnsupportedFormat(f"the file is {what}, which WARC tools do not read: decompress it first "
                                    f"({undo}) and give the result")
    if gzipped:
        if text.startswith(b"filedesc:") or not text:
            raise UnsupportedFormat("a gzip file whose start cannot be decompressed")
        raise UnsupportedFormat(f"a gzip file, but what it holds is no WARC or ARC record (it starts with "
                                f"{_show(text)})")
    if not head:
        raise UnsupportedFormat("the file is empty")
    raise UnsupportedFormat(f"not a WARC or ARC file (it starts with {_show(head)})")


def _gunzip_start(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head[:_PROBE], 64)
    except zlib.error:
        return b""


def _show(data: bytes) -> str:
    """The first bytes of a file, readable: text as text, anything else as a short hex run."""
    start = data[:24]
    if all(32 <= byte < 127 or byte in (9, 10, 13) for byte in start):
        return repr(start.decode("ascii"))
    return f"the bytes {start[:8].hex(' ')}"
