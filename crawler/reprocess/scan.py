"""Scanning a WARC file into captures: whole, or in stretches read in parallel and joined.

:func:`scan_file` reads a file with the one WARC reader
(:func:`crawler.warc.reader.scan_warc`) and turns its records into captures
(:mod:`crawler.reprocess.captures`). One big file alone would be read by one
process while the others wait, so it can also be cut into stretches of
about equal size (:func:`cut_points`), each starting where a gzip member that
holds a WARC record starts (found by decompressing a few bytes there), read
apart (:func:`scan_stretch`, the reader reading a stretch as a file of its
own) and joined (:func:`join_stretches`). The scan of a stretch must end with
a whole member exactly where the next begins (:func:`stretches_meet`), or
the file is to be read whole after all: a cut in the wrong place costs time,
never a record.
"""

from __future__ import annotations

import io
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO, cast

from crawler.reprocess.captures import (
    CAPTURE_TYPES,
    Capture,
    FileScan,
    capture_of,
    crawl_info_of,
    group_key,
    note_method,
    problem_of,
)
from crawler.warc.members import GZIP_MAGIC
from crawler.warc.reader import FRAMING, Damage, ScannedRecord, scan_warc
from crawler.warc.sizes import RECORD_LIMIT

# Below this size a file is read in one piece: cutting it would save less than it costs.
MIN_STRETCH_BYTES = 4 << 20
_PROGRESS_EVERY = 256
_LOOK_AHEAD = 1 << 20  # how far past each share a member start is looked for
_PROBE_BYTES = 1 << 16
_READ_SIZE = 1 << 20


def scan_file(path: Path, file: int, progress: Callable[[int], None] | None = None,
              record_limit: int | None = RECORD_LIMIT) -> FileScan:
    """Read every record of *path* (input file number *file*) into captures and problems.

    *progress* is called now and then with the number of records read since its last call; a record bigger
    than *record_limit* is counted and reported, not read (see :func:`~crawler.warc.reader.scan_warc`).
    """
    return join_stretches(path, [scan_stretch(path, file, progress=progress, record_limit=record_limit)])


@dataclass
class Stretch:
    """What a stretch of a file gave (offsets in the file), and what only the stretches before it can settle.

    A capture that names no warcinfo record belongs to the last one before
    it; for those that come before any in the stretch (``unnamed``), that is
    the previous stretch's ``last_warcinfo``. A request's method reaches the
    response that names it (``methods`` by record id, ``links`` per capture)
    wherever the two lie.
    """

    scan: FileScan
    start: int
    end: int | None = None  # where its last gzip member ends, when that member is whole and holds one record
    methods: dict[str, str] = field(default_factory=dict)  # record id of a request, or of its response -> method
    links: list[str | None] = field(default_factory=list)  # per capture: the record it names as concurrent
    unnamed: list[Capture] = field(default_factory=list)
    last_warcinfo: str | None = None


def scan_stretch(path: Path, file: int, start: int = 0, end: int | None = None,
                 progress: Callable[[int], None] | None = None, record_limit: int | None = RECORD_LIMIT) -> Stretch:
    """Read the records of *path* (input file number *file*) from offset *start* to *end* (None: to the end).

    *start* is where the file or a gzip member starts (see :func:`cut_points`).
    """
    source = path if (start, end) == (0, None) else StretchPath(path, start, end).as_path()
    stretch = Stretch(FileScan(file), start)
    scan = stretch.scan
    sharing: Counter[int] = Counter()  # gzip member offset -> records read from it, when it holds several
    for event in scan_warc(source, record_limit):
        if isinstance(event, Damage):
            scan.problems.append(problem_of(path, event, sharing))
            if event.record is None:  # bytes that are no whole member of one record
                stretch.end = None
            elif event.kind == FRAMING:
                _distrust(scan.captures, event.record)
            continue
        scan.records += 1
        stretch.end = event.offset + event.length if event.length is not None else None
        if event.length is None:
            sharing[event.offset] += 1
        if progress is not None and scan.records % _PROGRESS_EVERY == 0:
            progress(_PROGRESS_EVERY)
        if not event.damaged:  # final when yielded; the damage itself follows as its own event
            _take(event, stretch, path)
    if progress is not None:
        progress(scan.records % _PROGRESS_EVERY)
    if start:
        _shift(stretch, start)
    return stretch


def _distrust(captures: list[Capture], record: ScannedRecord) -> None:
    """Mark the capture of *record*, whose framing turned out wrong (in a plain file, found records later)."""
    for capture in reversed(captures):
        if (capture.offset, capture.position) == (record.offset, record.position):
            capture.quality = 0
            return


def _take(record: ScannedRecord, stretch: Stretch, path: Path) -> None:
    scan = stretch.scan
    kind = record.rec_type
    if kind == "warcinfo":
        # An ARC file's header (read as a warcinfo record) has no id: its captures are grouped by file.
        if (warcinfo_id := record.headers.get_header("WARC-Record-ID")) is not None:
            stretch.last_warcinfo = warcinfo_id
            scan.crawls.append(crawl_info_of(record, scan.file))
    elif kind == "request":
        note_method(record, stretch.methods)
    elif kind in CAPTURE_TYPES:
        warcinfo = record.headers.get_header("WARC-Warcinfo-ID") or stretch.last_warcinfo
        if capture := capture_of(record, scan.file, path, warcinfo, scan):
            scan.captures.append(capture)
            stretch.links.append(record.headers.get_header("WARC-Concurrent-To"))
            if warcinfo is None:
                stretch.unnamed.append(capture)


def _shift(stretch: Stretch, start: int) -> None:
    """Offsets in the stretch -> offsets in the file."""
    scan = stretch.scan
    for capture in scan.captures:
        capture.offset += start
    scan.problems = [replace(problem, offset=problem.offset + start) if problem.offset is not None else problem
                     for problem in scan.problems]
    if stretch.end is not None:
        stretch.end += start


def stretches_meet(stretches: list[Stretch]) -> bool:
    """Whether each stretch ended with a whole gzip member exactly where the next one starts.

    Only then were they read as one scan of the whole file would read them.
    """
    return all(before.end == after.start for before, after in pairwise(stretches))


def join_stretches(path: Path, stretches: list[Stretch]) -> FileScan:
    """The scan of a whole file from the scans of its stretches, in file order (see :func:`stretches_meet`)."""
    scan = FileScan(stretches[0].scan.file)
    methods: dict[str, str] = {}
    links: list[str | None] = []
    warcinfo: str | None = None  # the last warcinfo record before the stretch at hand
    for stretch in stretches:
        for capture in stretch.unnamed:
            capture.group = group_key(warcinfo, path)
        warcinfo = stretch.last_warcinfo or warcinfo
        scan.captures += stretch.scan.captures
        scan.crawls += stretch.scan.crawls
        scan.problems += stretch.scan.problems
        scan.records += stretch.scan.records
        methods.update(stretch.methods)
        links += stretch.links
    for capture, link in zip(scan.captures, links):
        capture.method = methods.get(capture.record_id or "") or methods.get(link or "") or "GET"
    return scan


def cut_points(path: Path, parts: int, min_bytes: int = MIN_STRETCH_BYTES) -> list[int]:
    """Where to cut *path* into up to *parts* stretches: member starts just past each equal share, in order.

    Fewer (none) for a file that is not gzipped, where no member start is
    found, or that is too small for stretches of *min_bytes* or more.
    """
    size = path.stat().st_size
    parts = min(parts, size // max(1, min_bytes))
    cuts: list[int] = []
    with path.open("rb") as fh:
        if parts < 2 or fh.read(len(GZIP_MAGIC)) != GZIP_MAGIC:
            return []
        for share in range(1, parts):
            cut = _member_start(fh, max(size * share // parts, cuts[-1] + 1 if cuts else 1))
            if cut is not None:
                cuts.append(cut)
    return cuts


def _member_start(fh: BinaryIO, near: int) -> int | None:
    """The first offset at or after *near* (within a look-ahead) where a gzip member decompresses to a WARC record."""
    fh.seek(near)
    data = fh.read(_LOOK_AHEAD + _PROBE_BYTES)
    found = data.find(GZIP_MAGIC)
    while 0 <= found < _LOOK_AHEAD:
        try:
            start = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(data[found:found + _PROBE_BYTES], 8)
        except zlib.error:
            start = b""
        if start.startswith(b"WARC/"):
            return near + found
        found = data.find(GZIP_MAGIC, found + 1)
    return None


class StretchPath:
    """Bytes *start* to *end* (None: the end) of *path*, which :func:`scan_warc` opens as a file of its own.

    The reader only opens what it is given, so this stands in for the Path it takes.
    """

    def __init__(self, path: Path, start: int, end: int | None):
        self.path, self.start, self.end = path, start, end

    def open(self, mode: str = "rb") -> BinaryIO:
        if mode != "rb":
            raise ValueError(f"a stretch of a file is read only, not opened {mode!r}")
        return cast(BinaryIO, io.BufferedReader(_StretchReader(self.path.open("rb"), self.start, self.end), _READ_SIZE))

    def as_path(self) -> Path:
        """This stretch, typed as what :func:`scan_warc` takes (it calls nothing but ``open("rb")``)."""
        return cast(Path, self)


class _StretchReader(io.RawIOBase):
    """A raw file over bytes *start* to *end* of *fh*: position 0 is *start*, and it ends at *end*."""

    def __init__(self, fh: BinaryIO, start: int, end: int | None):
        super().__init__()
        self._fh, self._start = fh, start
        self._end = end if end is not None else fh.seek(0, io.SEEK_END)
        fh.seek(start)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        wanted = min(len(buffer), self._end - self._fh.tell())
        if wanted <= 0:
            return 0
        return self._fh.readinto(memoryview(buffer)[:wanted])  # type: ignore[attr-defined, no-any-return]

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: self._start, io.SEEK_CUR: self._fh.tell(), io.SEEK_END: self._end}[whence]
        self._fh.seek(min(max(base + offset, self._start), self._end))
        return self.tell()

    def tell(self) -> int:
        return self._fh.tell() - self._start

    def close(self) -> None:
        self._fh.close()
        super().close()
