"""Closing out what a crawl that was cut short left in its job folder, before the crawl is resumed.

- Each WARC file left ``.open`` is read to the end of its last whole record
  (with the reader ``warc check`` uses). Anything after it (a record the
  crawl was writing when it died, or whatever a power cut left) is moved into
  a file of its own beside it, ``NAME.warc.gz.tail-at-OFFSET``, and reported
  with file and offset; the file, now whole, gets its finished name. The
  payload-digest index forgets the records that were in the tail, so no later
  revisit record refers to them. A writer process that outlived its crawl
  holds a lock on the file while it writes: close-out waits for it.
- ``items.jsonl`` is cut back to its last whole line (what was cut is
  reported; its article is made again by the resumed crawl); its lines say
  which articles are done.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crawler.domain.done import DoneArticles
from crawler.domain.jobstate import FileLock
from crawler.warc.dedup import DigestIndex
from crawler.warc.reader import ScannedRecord, scan_warc
from crawler.warc.writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)

WRITER_WAIT_SECONDS = 30.0  # for the writer of a killed crawl to write what it was given, and exit
_COPY_BUFFER = 1 << 20


class CloseOutError(RuntimeError):
    """A file of the job cannot be closed out (still being written, or the disk refuses)."""


@dataclass(frozen=True)
class ClosedWarc:
    """What became of a WARC file left ``.open``."""

    path: Path  # as found
    final: Path | None  # its finished name; None: it held no whole record and was removed
    size: int
    cut_at: int | None = None  # where its incomplete tail began, if it had one
    tail: Path | None = None  # where that tail went
    forgotten: int = 0  # payload digests of records lost in the tail, forgotten by the dedup index

    def __str__(self) -> str:
        if self.final is None and self.cut_at is None:
            return f"{self.path.name}: empty: removed"
        if self.cut_at is None:
            return f"{self.path.name}: whole ({self.size:,} bytes): closed as {self.final.name if self.final else '-'}"
        tail = self.tail.name if self.tail else "-"
        kept = f"closed as {self.final.name}" if self.final else "no whole record before it: the file is removed"
        forgotten = f"; {self.forgotten} payload digests of records in it forgotten" if self.forgotten else ""
        return (f"{self.path.name}: incomplete from offset {self.cut_at:,} ({self.size - self.cut_at:,} bytes): "
                f"cut off into {tail}; {kept}{forgotten}")


@dataclass(frozen=True)
class ClosedLines:
    """What became of the job's JSON Lines file."""

    path: Path
    lines: int
    cut_at: int | None = None
    cut_bytes: int = 0
    cut_start: str = ""  # the first characters of the cut line, to say what it was

    def __str__(self) -> str:
        if self.cut_at is None:
            return f"{self.path.name}: {self.lines:,} whole lines"
        return (f"{self.path.name}: {self.lines:,} whole lines; the last line was cut off at offset {self.cut_at:,} "
                f"({self.cut_bytes:,} bytes: {self.cut_start!r}…): removed, its article is made again")


def close_out_warc(path: Path, digests: DigestIndex | None) -> ClosedWarc:
    """Close out the WARC file *path* (``….open``) as the module docstring says."""
    lock = FileLock(path)
    if not lock.acquire(WRITER_WAIT_SECONDS):
        raise CloseOutError(f"{path} is still being written by another process (a crawl of this job still running?)")
    try:
        return _close_out(path, digests)
    except OSError as e:
        raise CloseOutError(f"cannot close out {path}: {e.strerror or e}") from e
    finally:
        lock.release()


def _close_out(path: Path, digests: DigestIndex | None) -> ClosedWarc:
    final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
    if final.exists():
        raise CloseOutError(f"cannot close out {path}: {final.name} exists already")
    size = path.stat().st_size
    end, kept = whole_records_end(path)
    if end == size and size:
        os.rename(path, final)
        return ClosedWarc(path, final, size)
    tail = None
    if end < size:
        tail = path.with_name(f"{final.name}.tail-at-{end}")
        _copy_from(path, end, tail)
    forgotten = digests.forget_lost(final.name, kept) if digests is not None and end < size else 0
    if end == 0:  # not even its warcinfo record is whole
        path.unlink()
        return ClosedWarc(path, None, size, 0 if size else None, tail, forgotten)
    with path.open("r+b") as fh:
        fh.truncate(end)
        os.fsync(fh.fileno())
    os.rename(path, final)
    return ClosedWarc(path, final, size, end, tail, forgotten)


def whole_records_end(path: Path) -> tuple[int, set[str]]:
    """Where the last whole record of *path* ends, and the record ids of the records before that point."""
    ends: dict[int, int] = {}
    ids: dict[int, str] = {}
    for event in scan_warc(path):
        if isinstance(event, ScannedRecord):
            if (record_id := event.headers.get_header("WARC-Record-ID")) is not None:
                ids[event.offset] = record_id
            if event.length is not None and not event.damaged:
                ends[event.offset] = event.offset + event.length
        elif event.record is not None or event.problem.offset is not None:
            ends.pop(event.record.offset if event.record is not None else event.problem.offset, None)
    end = max(ends.values(), default=0)
    return end, {record_id for offset, record_id in ids.items() if offset < end}


def _copy_from(path: Path, offset: int, target: Path) -> None:
    with path.open("rb") as source, target.open("wb") as copy:
        source.seek(offset)
        while chunk := source.read(_COPY_BUFFER):
            copy.write(chunk)
        copy.flush()
        os.fsync(copy.fileno())


def close_out_lines(path: Path) -> tuple[ClosedLines, DoneArticles]:
    """Cut *path* back to its last whole line; what was cut, and the articles its lines hold."""
    if not path.exists():
        return ClosedLines(path, 0), DoneArticles()
    reader = _WholeLines(path)
    done = DoneArticles.from_lines(reader)
    if reader.cut is None:
        return ClosedLines(path, reader.count), done
    with path.open("r+b") as fh:
        fh.truncate(reader.end)
        os.fsync(fh.fileno())
    start = reader.cut[:60].decode("utf-8", "replace")
    return ClosedLines(path, reader.count, reader.end, len(reader.cut), start), done


class _WholeLines:
    """The JSON objects on the whole lines of a file, read once; then how many, where they end, what was cut."""

    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self.end = 0
        self.cut: bytes | None = None

    def __iter__(self) -> Iterator[dict]:
        with self.path.open("rb") as fh:
            for raw in fh:
                if not raw.endswith(b"\n"):
                    self.cut = raw
                    return
                self.end += len(raw)
                self.count += 1
                try:
                    line = json.loads(raw)
                except ValueError:
                    logger.warning("%s: line %d (offset %d) is not JSON; left as it is", self.path, self.count,
                                   self.end - len(raw))
                    continue
                if isinstance(line, dict):
                    yield line
