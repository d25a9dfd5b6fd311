"""WARC files on disk: IIPC names, one gzip member per record, ``.open`` until closed.

A file is named ``{prefix}-{UTC timestamp, 17 digits}-{serial:05d}-{hostname}.warc.gz``
and is written as ``….warc.gz.open``, renamed when it is closed, so a name
without ``.open`` always means a finished file. Each file starts with a
``warcinfo`` record. Every call to :meth:`WarcFileWriter.write_records`
compresses each record as a gzip member of its own (any record can be read
from its offset alone) and hands all of them to the kernel in one unbuffered
write: a crawl killed with SIGKILL leaves every completed write readable,
and the records written together (a request and its response) stay in one
file. A file that has reached the size limit is closed after that write; the
next write opens the next file.

A write that fails (a full disk, a file-size limit, an I/O error) is cut back
off the file, so the file ends with its last whole record, and remembered
with its file and offset: every later write is refused with it, and the file
keeps its ``.open`` name when closed, since it is not what the crawl meant to
write (the crawl stops; ``newsarchive crawl --resume`` can finish the job).
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import socket
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from crawler.warc.records import make_record_id, warcinfo_record

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"


@dataclass(frozen=True)
class FailedWrite:
    """A write that failed: the file (``.open``), the offset the failed records would have started at, and why."""

    path: Path
    offset: int
    error: str

    def __str__(self) -> str:
        return (f"{self.path}: the write at offset {self.offset} failed ({self.error}); the file holds its whole "
                f"records up to that offset and stays unfinished (.open)")


class WarcFileFailed(OSError):
    """A write to a WARC file failed, now or earlier (its :class:`FailedWrite` says where)."""

    def __init__(self, failed: FailedWrite):
        super().__init__(str(failed))
        self.failed = failed


@dataclass(frozen=True)
class Placement:
    """Where a record landed: the finished file's name, and its offset and length in that file."""

    filename: str
    offset: int
    length: int


def warc_filename(prefix: str, opened_at: datetime, serial: int, hostname: str, gzip: bool) -> str:
    """The IIPC-style file name, e.g. ``topwar-20260125103000123-00000-host.warc.gz``."""
    utc = opened_at.astimezone(timezone.utc)
    timestamp = utc.strftime("%Y%m%d%H%M%S") + f"{utc.microsecond // 1000:03d}"
    return f"{prefix}-{timestamp}-{serial:05d}-{hostname}.warc" + (".gz" if gzip else "")


def safe_hostname(hostname: str | None = None) -> str:
    """This machine's name, reduced to characters that are safe in a file name."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", hostname or socket.gethostname()).strip("-.") or "localhost"


def gzip_member(data: bytes, level: int) -> bytes:
    """*data* as one complete gzip member."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()


class WarcFileWriter:
    """Writes records into a rotating series of WARC files in *directory*.

    *gzip_level* ``None`` writes uncompressed ``.warc`` files. *warcinfo* is
    the ``name: value`` list of each file's opening ``warcinfo`` record.
    Not thread-safe: one thread writes.
    """

    def __init__(
        self,
        directory: Path,
        prefix: str,
        *,
        warcinfo: Sequence[tuple[str, str]],
        max_size: int,
        gzip_level: int | None,
        hostname: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ):
        self.directory = directory
        self.prefix = prefix
        self.warcinfo = list(warcinfo)
        self.max_size = max_size
        self.gzip_level = gzip_level
        self.hostname = safe_hostname(hostname)
        self.clock = clock
        self.closed_files: list[Path] = []
        self.failed: FailedWrite | None = None  # once set, nothing more is written and the file stays .open
        self._serial = 0
        self._file: BinaryIO | None = None
        self._path: Path | None = None
        self._filename = ""
        self._size = 0
        self._warcinfo_id = ""

    @property
    def warcinfo_id(self) -> str:
        """The record id of the current file's warcinfo record (opening a file if none is open)."""
        self._ensure_open()
        return self._warcinfo_id

    def write_records(self, records: Sequence[bytes]) -> list[Placement]:
        """Append *records* (uncompressed record bytes) to the current file together.

        Raises :class:`WarcFileFailed` if this write fails, or one did before.
        """
        if self.failed is not None:
            raise WarcFileFailed(self.failed)
        self._ensure_open()
        placements = []
        members = []
        offset = self._size
        for record in records:
            member = self._encode(record)
            members.append(member)
            placements.append(Placement(self._filename, offset, len(member)))
            offset += len(member)
        self._write(b"".join(members))
        if self._size >= self.max_size:
            self.close()
        return placements

    def close(self) -> None:
        """Finish the current file: flush it to disk and drop its ``.open`` suffix (not after a failed write)."""
        if self._file is None or self._path is None:
            return
        try:
            if self.failed is None:
                os.fsync(self._file.fileno())
        except OSError as e:
            self.failed = FailedWrite(self._path, self._size, f"flushing to disk: {e.strerror or e}")
        finally:
            self._file.close()
            self._file = None
        if self.failed is not None:
            logger.error("%s", self.failed)
            return
        final = self._path.with_name(self._filename)
        os.rename(self._path, final)
        logger.info("Closed WARC file %s (%d bytes)", final, self._size)
        self.closed_files.append(final)
        self._file = None
        self._path = None

    def _encode(self, record: bytes) -> bytes:
        return record if self.gzip_level is None else gzip_member(record, self.gzip_level)

    def _write(self, data: bytes) -> None:
        assert self._file is not None and self._path is not None
        view = memoryview(data)
        try:
            while view:
                written = self._file.write(view)
                view = view[written:]
        except OSError as e:
            self.failed = FailedWrite(self._path, self._size, e.strerror or str(e))
            self._cut_back()
            raise WarcFileFailed(self.failed) from e
        self._size += len(data)

    def _cut_back(self) -> None:
        """Take the bytes of a failed write off the file (it then ends with a whole record), if the disk lets us."""
        assert self._file is not None
        try:
            os.ftruncate(self._file.fileno(), self._size)
        except OSError as e:
            logger.error("Cannot cut the failed write off %s at offset %d (%s): its tail is damaged", self._path,
                         self._size, e.strerror or e)

    def _ensure_open(self) -> None:
        if self._file is not None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        opened_at = self.clock()
        while True:
            name = warc_filename(self.prefix, opened_at, self._serial, self.hostname, self.gzip_level is not None)
            self._serial += 1
            path = self.directory / (name + OPEN_SUFFIX)
            if (self.directory / name).exists():
                continue
            try:
                self._file = open(path, "xb", buffering=0)  # noqa: SIM115 (closed in close())
            except FileExistsError:
                continue
            # Held while this process writes the file, let go by the kernel when it ends: how a resumed crawl
            # knows the writer of a crawl that was killed has stopped before it closes the file out.
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        self._path = path
        self._filename = name
        self._size = 0
        self._warcinfo_id = make_record_id()
        self._write(self._encode(warcinfo_record(self._warcinfo_id, opened_at, name, self.warcinfo)))
        logger.info("Writing WARC file %s", path)
