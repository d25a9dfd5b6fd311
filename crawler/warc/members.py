"""Walk the gzip members of a ``.warc.gz`` file one by one, noticing every way they can break.

warcio reads a gzip stream that is cut off mid-member as if it simply ended,
so a killed crawl's last, half-written record looks fine to it. Decompressing
member by member with zlib tells a complete member (its end marker and
trailer were read) from a cut one, and finds where garbage or a corrupt
member starts and where the next good member begins again.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile
from typing import BinaryIO

from crawler.warc.formats import GZIP_MAGIC
_READ_SIZE = 1 << 20
_SPOOL_LIMIT = 32 << 20


@dataclass
class Member:
    """One gzip member: where it starts, how many compressed bytes it spans, and its content.

    ``error`` says what is wrong when the member is not whole: cut off by the
    end of the file, corrupt, or not gzip at all (then ``data`` is empty and
    ``length`` spans the unreadable bytes up to the next member).
    """

    offset: int
    length: int
    data: SpooledTemporaryFile[bytes]
    error: str | None = None


def _new_spool() -> SpooledTemporaryFile[bytes]:
    return SpooledTemporaryFile(max_size=_SPOOL_LIMIT)


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


def iter_members(fh: BinaryIO) -> Iterator[Member]:
    """The members of the gzip stream *fh*, in file order, including broken ones."""
    reader = _MemberReader(fh)
    reader.fill()
    while reader.buffer or reader.fill():
        if len(reader.buffer) < len(GZIP_MAGIC) and reader.fill():
            continue
        if not reader.buffer.startswith(GZIP_MAGIC):
            yield _skip_garbage(reader, reader.position, "not a gzip member")
            continue
        yield _read_member(reader)


def _skip_garbage(reader: _MemberReader, offset: int, error: str, start: int = 0) -> Member:
    """The unreadable bytes from *offset* up to the next gzip header (or the end of the file)."""
    resume = reader.next_magic(start)
    end = resume if resume is not None else reader.position + len(reader.buffer)
    reader.consume(end - reader.position)
    return Member(offset, end - offset, _new_spool(), error)


def _read_member(reader: _MemberReader) -> Member:
    offset = reader.position
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    data = _new_spool()
    while True:
        try:
            data.write(decompressor.decompress(reader.buffer))
        except zlib.error as e:
            data.close()
            # Look for the next member past this one's own header.
            start = 1 if reader.position == offset else 0
            return _skip_garbage(reader, offset, f"corrupt gzip member ({e})", start)
        if decompressor.eof:
            reader.consume(len(reader.buffer) - len(decompressor.unused_data))
            data.seek(0)
            return Member(offset, reader.position - offset, data)
        reader.consume(len(reader.buffer))
        if not reader.fill():
            data.write(decompressor.flush())
            data.seek(0)
            cut = reader.position - offset
            return Member(offset, cut, data, f"gzip member cut off: the file ends {cut} bytes into it")
