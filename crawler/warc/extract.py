"""Read one WARC record back from where the index says it lies, like ``warcio extract``.

The offset is a gzip member's (the record is decompressed from it alone) or,
in an uncompressed file, the record's own; a record that shares its gzip
member with others is found at its position in the member's data. The block
must be whole and match a ``sha1:`` block digest, or :class:`RecordUnreadable`
says why not.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParserException

from crawler.warc.formats import GZIP_MAGIC
from crawler.warc.reader import sha1_matches, unreadable_reason


class RecordUnreadable(Exception):
    """A record could not be read back from its offset."""


@dataclass(frozen=True)
class RecordBytes:
    """One record read back: its WARC header fields and its whole block."""

    headers: StatusAndHeaders
    block: bytes


_loader = ArcWarcRecordLoader()


def read_record(path: Path, offset: int, position: int = 0, member: bytes | None = None) -> RecordBytes:
    """The record at *offset* of *path* (at *position* inside the gzip member there, if it holds several).

    *member* is that member's decompressed data when the caller has it already.
    The block is checked against a ``sha1:`` block digest. Raises
    :class:`RecordUnreadable` saying why when the record cannot be read whole.
    """
    if member is None:
        member = read_member(path, offset)
    if member:
        stream = io.BytesIO(member)
        stream.seek(position)
        return _record_from(stream)
    with path.open("rb") as fh:
        fh.seek(offset)
        return _record_from(fh)


def _record_from(stream: IO[bytes]) -> RecordBytes:
    start = stream.tell()
    arc = not stream.read(5).startswith(b"WARC/")  # an ARC record: warcio gives it WARC header fields
    stream.seek(start)
    try:
        record = _loader.parse_record_stream(stream, known_format=None if arc else "warc", no_record_parse=True)
    except (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, ValueError) as e:
        raise RecordUnreadable(f"unreadable: {unreadable_reason(e, arc)}") from e
    headers = record.rec_headers
    declared = headers.get_header("Content-Length") or ""
    if not declared.isdigit():
        raise RecordUnreadable(f"unreadable: the record's length field is {declared!r}, not a byte count")
    if arc:
        headers.remove_header("WARC-Record-ID")  # made up by warcio, different at every read
    length = int(declared)
    block = record.raw_stream.read(length)
    label = " ".join(filter(None, (record.rec_type, headers.get_header("WARC-Record-ID"),
                                   headers.get_header("WARC-Target-URI"))))
    if len(block) < length:
        raise RecordUnreadable(f"record cut off: {label} has {len(block)} of {length} block bytes")
    expected = headers.get_header("WARC-Block-Digest") or ""
    if sha1_matches(expected, block) is False:
        raise RecordUnreadable(f"block digest failed: {expected}: {label}")
    return RecordBytes(headers, block)


def read_member(path: Path, offset: int) -> bytes:
    """The decompressed data of the gzip member at *offset*; empty when the file is not gzipped there."""
    with path.open("rb") as fh:
        fh.seek(offset)
        head = fh.read(len(GZIP_MAGIC))
        if head != GZIP_MAGIC:
            return b""
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        parts = [decompressor.decompress(head)]
        try:
            while not decompressor.eof and (chunk := fh.read(1 << 16)):
                parts.append(decompressor.decompress(chunk))
        except zlib.error as e:
            raise RecordUnreadable(f"corrupt gzip member ({e})") from e
        if not decompressor.eof:
            parts.append(decompressor.flush())
        return b"".join(parts)
