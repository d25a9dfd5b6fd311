"""The record-size limit: how big a record may be to be read at all, and sizes as people read them.

A 1.5 MB gzip member can hold a 1.5 GiB record, and a plain file can declare
a Content-Length no disk holds: a record whose block is bigger than the limit
is counted and reported by the reader (:mod:`crawler.warc.reader`) and refused
by the replay (:mod:`crawler.warc.extract`), never read whole into memory.
"""

from __future__ import annotations

import re

# A news page, even with its images inlined, is far smaller; replaying a record takes a few times its size.
RECORD_LIMIT = 256 << 20

_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d+)[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


def declared_length(head: bytes, arc: bool) -> int:
    """The block length the WARC (or ARC) record at the start of *head* declares; 0 when *head* does not tell.

    Asked of every big gzip member as it is decompressed, so read with a regular expression, not a parser.
    """
    if arc:
        fields = head.split(b"\n", 1)[0].split()  # an ARC header line ends with the length
        return int(fields[-1]) if fields and fields[-1].isdigit() else 0
    blank = _BLANK_LINE.search(head)
    if not head.startswith(b"WARC/") or blank is None:
        return 0
    found = _CONTENT_LENGTH.search(head, 0, blank.start() + 1)
    return int(found.group(1)) if found else 0


def too_big(label: str, length: int, limit: int) -> str:
    """Why the record *label* (``type <id> URI``) is not read: its block of *length* bytes is over *limit*."""
    return (f"record too big: {label} declares a block of {length} bytes ({format_size(length)}), "
            f"more than the record-size limit of {format_size(limit)}: not read")


def format_size(size: int) -> str:
    """*size* bytes for people: ``1.5 GiB``, ``256 MiB``, ``900 bytes``."""
    for unit, shift in (("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift:
            return f"{size / (1 << shift):.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"
