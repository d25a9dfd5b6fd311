"""Walk the gzip members of a ``.warc.gz`` file one by one, noticing every way they can break.

warcio reads a gzip stream that is cut off mid-member as if it simply ended,
so a killed crawl's last, half-written record looks fine to it. Decompressing
member by member with zlib tells a complete member (its end marker and
trailer were read) from a cut one, and finds where garbage or a corrupt
member starts and where the next good member begins again.

Memory stays bounded whatever a member holds: data is decompressed in pieces
of at most :data:`PIECE` bytes (a megabyte of gzip can hold a gigabyte), kept
in a temporary file past :data:`SPOOL_LIMIT`, and a member whose first record
is too big to be read (the caller decides, from the member's first bytes) is
decompressed to its end only to find where it ends, its data dropped.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile
from typing import BinaryIO

from crawler.warc.formats import GZIP_MAGIC

_READ_SIZE = 1 << 20
PIECE = 1 << 20  # the most decompressed bytes produced at a time
SPOOL_LIMIT = 32 << 20  # decompressed data past this goes to a temporary file
HEAD_BYTES = 1 << 16  # what the caller sees of a member to decide whether to keep its data

# Given a member's first bytes (HEAD_BYTES of them): whether its data is too big to keep.
TooBig = Callable[[bytes], bool]


@dataclass
class Member:
    """One gzip member: where it starts, how many compressed bytes it spans, and its content.

    ``error`` says what is wrong when the member is not whole: cut off by the
    end of the file, corrupt, or not gzip at all (then ``data`` is empty and
    ``length`` spans the unreadable bytes up to the next member). ``dropped``:
    the member was found too big, and ``data`` holds only its first
    :data:`HEAD_BYTES`; ``size`` is the bytes it decompresses to, in any case.
    """

    offset: int
    length: int
    data: SpooledTemporaryFile[bytes]
    error: str | None = None
    size: int = 0
    dropped: bool = False


def new_spool() -> SpooledTemporaryFile[bytes]:
    """A file for decompressed data: in memory up to :data:`SPOOL_LIMIT`, an anonymous temporary file past it."""
    return SpooledTemporaryFile(max_size=SPOOL_LIMIT)


def inflate(decompressor: zlib._Decompress, data: bytes) -> Iterator[bytes]:
    """The data *decompressor* makes of *data*, in pieces of at most :data:`PIECE` bytes.

    When it is done, all of *data* was taken in, unless the member ended
    (``decompressor.eof``; what follows it is in ``unused_data``).
    """
    while True:
        piece = decompressor.decompress(data, PIECE)
        if piece:
            yield piece
        if decompressor.eof:
            return
        data = decompressor.unconsumed_tail
        if not data and len(piece) < PIECE:  # a full piece may leave output pending inside zlib
            return


class _MemberReader:
    def __init__(self, fh: BinaryIO):
        self.fh = fh
        self.buffer = b""
        self.position = 0  # file offset of self.buffer[0]
        self.at_eof = False

    def fill(self) -> bool:
        chunk = self.fh.read(_READ_SIZE)
        if not chunk:
            self.at_eof = True
            return False
        self.buffer += chunk
        return True

    def consume(self, count: int) -> None:
        self.buffer = self.buffer[count:]
        self.position += count

    def next_magic(self, start: int) -> int | None:
        """File offset of the next gzip header at or after buffer index *start*, reading on as needed."""
        while True:
            found = self.buffer.find(GZIP_MAGIC, start)
            if found >= 0:
                return self.position + found
            start = max(0, len(self.buffer) - len(GZIP_MAGIC) + 1)
            if not self.fill():
                return None


class _Sink:
    """Where a member's data goes: the spool, until the member is found too big; then only counted."""

    def __init__(self, too_big: TooBig | None):
        self.data = new_spool()
        self.size = 0
        self.too_big = too_big
        self.dropped = False

    def write(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.dropped:
            return
        kept = self.data.tell()
        self.data.write(piece)
        if self.too_big is not None and kept < HEAD_BYTES <= self.size:
            self.data.seek(0)
            if self.too_big(self.data.read(HEAD_BYTES)):
                self.dropped = True
                self.data.truncate(HEAD_BYTES)
            self.data.seek(0, 2)

    def member(self, offset: int, length: int, error: str | None = None) -> Member:
        self.data.seek(0)
        return Member(offset, length, self.data, error, self.size, self.dropped)


def iter_members(fh: BinaryIO, too_big: TooBig | None = None) -> Iterator[Member]:
    """The members of the gzip stream *fh*, in file order, including broken ones.

    *too_big*, if given, is asked about each member that decompresses to
    :data:`HEAD_BYTES` or more, with those first bytes: if it says yes, the
    rest of the member's data is dropped (see :attr:`Member.dropped`).
    """
    reader = _MemberReader(fh)
    reader.fill()
    while reader.buffer or reader.fill():
        if len(reader.buffer) < len(GZIP_MAGIC) and reader.fill():
            continue
        if not reader.buffer.startswith(GZIP_MAGIC):
            yield _skip_garbage(reader, reader.position, "not a gzip member")
            continue
        yield _read_member(reader, too_big)


def _skip_garbage(reader: _MemberReader, offset: int, error: str, start: int = 0) -> Member:
    """The unreadable bytes from *offset* up to the next gzip header (or the end of the file)."""
    resume = reader.next_magic(start)
    end = resume if resume is not None else reader.position + len(reader.buffer)
    reader.consume(end - reader.position)
    return Member(offset, end - offset, new_spool(), error)


def _read_member(reader: _MemberReader, too_big: TooBig | None) -> Member:
    offset = reader.position
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    sink = _Sink(too_big)
    while True:
        data = reader.buffer
        try:
            for piece in inflate(decompressor, data):
                sink.write(piece)
        except zlib.error as e:
            sink.data.close()
            # Look for the next member past this one's own header.
            start = 1 if reader.position == offset else 0
            return _skip_garbage(reader, offset, f"corrupt gzip member ({e})", start)
        if decompressor.eof:
            reader.consume(len(data) - len(decompressor.unused_data))
            return sink.member(offset, reader.position - offset)
        reader.consume(len(data))
        if not reader.fill():
            sink.write(decompressor.flush())
            cut = reader.position - offset
            return sink.member(offset, cut, f"gzip member cut off: the file ends {cut} bytes into it")
