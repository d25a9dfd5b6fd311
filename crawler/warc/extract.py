"""Read one WARC record back from where the index says it lies, like ``warcio extract``.

The offset is a gzip member's (the record is decompressed from it alone) or,
in an uncompressed file, the record's own; a record that shares its gzip
member with others is found at its position in the member's data
(:func:`read_member` spools that data once for all of them). The block must
be whole, no bigger than the record-size limit, and match a ``sha1:`` block
digest, or :class:`RecordUnreadable` says why not. Memory stays bounded: a
gzip member is decompressed piece by piece and no further than the limit
allows, and a record over the limit is refused from its header alone.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord, ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParserException

from crawler.warc.formats import GZIP_MAGIC
from crawler.warc.members import inflate, new_spool
from crawler.warc.reader import sha1_matches, unreadable_reason
from crawler.warc.sizes import RECORD_LIMIT, format_size, too_big

_READ_SIZE = 1 << 16
# What a record's head (WARC header fields) may take beyond its block in a member read for that record alone.
_HEAD_ALLOWANCE = 1 << 20


class RecordUnreadable(Exception):
    """A record could not be read back from its offset."""


class RecordTooBig(RecordUnreadable):
    """A record is bigger than the record-size limit: it is not read back."""


@dataclass(frozen=True)
class RecordBytes:
    """One record read back: its WARC header fields and its whole block."""

    headers: StatusAndHeaders
    block: bytes


_loader = ArcWarcRecordLoader()


def read_record(path: Path, offset: int, position: int = 0, member: IO[bytes] | None = None,
                limit: int | None = RECORD_LIMIT) -> RecordBytes:
    """The record at *offset* of *path* (at *position* inside the gzip member there, if it holds several).

    *member* is that member's data (:func:`read_member`) when the caller has
    it already. The block is checked against a ``sha1:`` block digest. Raises
    :class:`RecordUnreadable` saying why when the record cannot be read whole,
    :class:`RecordTooBig` when its block is bigger than *limit* bytes
    (``None``: no limit).
    """
    if member is not None:
        member.seek(position)
        return _record_from(member, limit)
    with path.open("rb") as fh:
        fh.seek(offset)
        if fh.read(len(GZIP_MAGIC)) != GZIP_MAGIC:
            fh.seek(offset)
            return _record_from(fh, limit)
        fh.seek(offset)
        stream = io.BytesIO(_read_single(fh, position, limit))
    stream.seek(position)
    return _record_from(stream, limit)


def _read_single(fh: IO[bytes], position: int, limit: int | None) -> bytes:
    """The data of the gzip member at *fh*'s position, which holds the record at *position*; no more of it
    than a record within *limit* can take (:class:`RecordTooBig` beyond)."""
    pieces: list[bytes] = []
    size = 0
    checked = limit is None
    for piece in _member_pieces(fh):
        pieces.append(piece)
        size += len(piece)
        if not checked and size > position + _HEAD_ALLOWANCE:
            # A big member: the record's own header says whether it is over the limit, before any more is read.
            checked = True
            _parse(io.BytesIO(b"".join(pieces)[position:]), limit)
        if limit is not None and size > position + _HEAD_ALLOWANCE + limit:
            raise RecordTooBig(f"record too big: its gzip member holds more than {format_size(_HEAD_ALLOWANCE + limit)}"
                               f", more than a record within the record-size limit of {format_size(limit)} takes: "
                               "not read")
    return b"".join(pieces)


def _parse(stream: IO[bytes], limit: int | None) -> tuple[ArcWarcRecord, int, str]:
    """The record at *stream*'s position, its block length and its label, read up to its block."""
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
    label = " ".join(filter(None, (record.rec_type, headers.get_header("WARC-Record-ID"),
                                   headers.get_header("WARC-Target-URI"))))
    if limit is not None and length > limit:
        raise RecordTooBig(too_big(label, length, limit))
    return record, length, label


def _record_from(stream: IO[bytes], limit: int | None) -> RecordBytes:
    record, length, label = _parse(stream, limit)
    block = record.raw_stream.read(length)
    if len(block) < length:
        raise RecordUnreadable(f"record cut off: {label} has {len(block)} of {length} block bytes")
    expected = record.rec_headers.get_header("WARC-Block-Digest") or ""
    if sha1_matches(expected, block) is False:
        raise RecordUnreadable(f"block digest failed: {expected}: {label}")
    return RecordBytes(record.rec_headers, block)


def read_member(path: Path, offset: int) -> IO[bytes] | None:
    """The decompressed data of the gzip member at *offset*, in a file (in memory while small, the caller closes
    it); ``None`` when the file is not gzipped there."""
    with path.open("rb") as fh:
        fh.seek(offset)
        if fh.read(len(GZIP_MAGIC)) != GZIP_MAGIC:
            return None
        fh.seek(offset)
        spool = new_spool()
        try:
            for piece in _member_pieces(fh):
                spool.write(piece)
        except BaseException:
            spool.close()
            raise
    spool.seek(0)
    return spool


def _member_pieces(fh: IO[bytes]) -> Iterator[bytes]:
    """The decompressed data of the gzip member at *fh*'s position, piece by piece (nothing if there is none)."""
    head = fh.read(len(GZIP_MAGIC))
    if head != GZIP_MAGIC:
        return
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    chunk = head
    try:
        while True:
            yield from inflate(decompressor, chunk)
            if decompressor.eof or not (chunk := fh.read(_READ_SIZE)):
                break
    except zlib.error as e:
        raise RecordUnreadable(f"corrupt gzip member ({e})") from e
    if not decompressor.eof:
        yield decompressor.flush()
