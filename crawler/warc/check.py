"""``newsarchive warc check``: is every record whole, framed right, and are its digests right?

warcio parses the records and verifies block and payload digests (as
``warcio check`` does). On top of that this module catches what warcio lets
through: a gzip member cut off by a killed crawl (:mod:`crawler.warc.members`),
a record whose block is shorter than its Content-Length, a block not followed
by CRLF CRLF (a wrong Content-Length), garbage between records, several
records in one gzip member, and a revisit's block digest (warcio skips
revisits). Each problem is reported with the file and the offset an
archivist would pass to ``warcio extract``; reading goes on after a fault
wherever the next record can be found. ``.open`` files are named as
unfinished: still being written, or left behind by a crawl that was killed.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable
from contextlib import redirect_stderr
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TextIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from crawler.warc.members import iter_members
from crawler.warc.records import sha1_digest
from crawler.warc.writer import OPEN_SUFFIX

WARC_SUFFIXES = (".warc", ".warc.gz", ".warc" + OPEN_SUFFIX, ".warc.gz" + OPEN_SUFFIX)
_RECORD_END = b"\r\n\r\n"


@dataclass(frozen=True)
class Problem:
    """Something wrong at *offset* (of the record or gzip member; ``None``: the file as a whole)."""

    offset: int | None
    message: str


@dataclass
class FileReport:
    path: Path
    unfinished: bool = False
    records: int = 0
    digests_verified: int = 0
    records_without_digest: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unfinished


@dataclass
class CheckReport:
    files: list[FileReport]

    @property
    def ok(self) -> bool:
        return bool(self.files) and all(report.ok for report in self.files)


@dataclass
class _Seen:
    """One record as read by warcio, for the framing check done after the iteration."""

    offset: int
    start_of_block: int
    length: int
    label: str
    revisit_digest: str | None = None
    cut_off: bool = False

    @property
    def end_of_block(self) -> int:
        return self.start_of_block + self.length


def warc_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The given files, plus the WARC files (``.warc``, ``.warc.gz``, ``….open``) inside given folders."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(WARC_SUFFIXES))
        else:
            found.append(path)
    return found


def check_warcs(paths: Iterable[str | os.PathLike[str]]) -> CheckReport:
    """Check every WARC file in *paths* (files or folders)."""
    return CheckReport([check_warc(path) for path in warc_paths(paths)])


def check_warc(path: Path) -> FileReport:
    """Check one WARC file, gzip-per-record or uncompressed."""
    report = FileReport(path, unfinished=path.name.endswith(OPEN_SUFFIX))
    try:
        with path.open("rb") as fh:
            if fh.read(2) == b"\x1f\x8b":
                fh.seek(0)
                _check_gzip(fh, report)
            else:
                fh.seek(0)
                _check_uncompressed(fh, report)
    except OSError as e:
        report.problems.append(Problem(None, f"cannot read: {e}"))
    return report


def _check_gzip(fh: IO[bytes], report: FileReport) -> None:
    for member in iter_members(fh):
        with member.data:
            seen, _ = _check_stream(member.data, report, member.offset)
            if member.error:
                report.problems.append(Problem(member.offset, member.error))
            elif len(seen) > 1:
                report.problems.append(
                    Problem(member.offset, f"gzip member holds {len(seen)} records (one record per member expected)")
                )
            elif not seen:
                report.problems.append(Problem(member.offset, "gzip member holds no WARC record"))
            _check_after_reading(member.data, seen, report, member.offset)


def _check_uncompressed(fh: IO[bytes], report: FileReport) -> None:
    start: int | None = 0
    while start is not None:
        fh.seek(start)
        seen, failed_at = _check_stream(fh, report, None)
        _check_after_reading(fh, seen, report, None)
        start = None if failed_at is None else _next_record_start(fh, failed_at)


def _next_record_start(fh: IO[bytes], failed_at: int) -> int | None:
    """Where the next line starting a WARC record begins after *failed_at*; None if there is none."""
    fh.seek(failed_at + 1)
    found = fh.read().find(b"\nWARC/1.")
    return None if found < 0 else failed_at + 1 + found + 1


def _check_stream(stream: IO[bytes], report: FileReport, member_offset: int | None) -> tuple[list[_Seen], int | None]:
    """Read every record warcio finds in *stream*: those records, and where reading failed (if it did)."""
    seen: list[_Seen] = []
    iterator = ArchiveIterator(stream, check_digests=True)
    # warcio prints its own framing warnings to stderr; the framing check below reports them.
    with redirect_stderr(io.StringIO()):
        try:
            for record in iterator:
                seen.append(_check_record(record, iterator, report, member_offset))
        except (ArchiveLoadFailed, ValueError) as e:
            failed_at = iterator.offset
            offset = member_offset if member_offset is not None else failed_at
            report.problems.append(Problem(offset, f"unreadable: {str(e).strip().splitlines()[0]}"))
            return seen, failed_at
    return seen, None


def _check_record(
    record: ArcWarcRecord, iterator: ArchiveIterator, report: FileReport, member_offset: int | None
) -> _Seen:
    headers = record.rec_headers
    label = " ".join(
        filter(None, (record.rec_type, headers.get_header("WARC-Record-ID"), headers.get_header("WARC-Target-URI")))
    )
    while record.raw_stream.read(1 << 20):
        pass
    offset = iterator.get_record_offset()
    where = member_offset if member_offset is not None else offset
    report.records += 1
    length = int(headers.get_header("Content-Length") or 0)
    missing = getattr(record.raw_stream, "limit", 0)
    seen = _Seen(offset, offset + headers.total_len, length, label)
    if missing:
        seen.cut_off = True
        present = length - missing
        report.problems.append(Problem(where, f"record cut off: {label} has {present} of {length} block bytes"))
    elif record.rec_type == "revisit" and (headers.get_header("WARC-Block-Digest") or "").lower().startswith("sha1:"):
        # warcio does not check revisits; their block digest is checked after reading.
        seen.revisit_digest = headers.get_header("WARC-Block-Digest")
    elif record.digest_checker.passed is False:
        report.problems.append(Problem(where, f"{'; '.join(record.digest_checker.problems)}: {label}"))
    elif record.digest_checker.passed:
        report.digests_verified += 1
    else:
        report.records_without_digest += 1
    return seen


def _check_after_reading(stream: IO[bytes], seen: list[_Seen], report: FileReport, member_offset: int | None) -> None:
    """Per record: the block ends with CRLF CRLF where Content-Length says; a revisit's block digest."""
    for record in seen:
        if record.cut_off:
            continue
        where = member_offset if member_offset is not None else record.offset
        if record.revisit_digest:
            stream.seek(record.start_of_block)
            if sha1_digest(stream.read(record.length)) == "sha1:" + record.revisit_digest[5:].upper():
                report.digests_verified += 1
            else:
                report.problems.append(Problem(where, f"block digest failed: {record.revisit_digest}: {record.label}"))
        stream.seek(record.end_of_block)
        if stream.read(len(_RECORD_END)) != _RECORD_END:
            report.problems.append(
                Problem(where, f"block not followed by CRLF CRLF (wrong Content-Length?): {record.label}")
            )


def print_check_report(report: CheckReport, out: TextIO = sys.stdout) -> int:
    """Print *report* for people; return the exit status (0: all files whole and finished)."""
    for file in report.files:
        state = "OK" if file.ok else ("UNFINISHED" if file.unfinished and not file.problems else "PROBLEMS")
        print(f"{file.path}: {state}: {file.records} records, {file.digests_verified} digests verified"
              + (f", {file.records_without_digest} without digest" if file.records_without_digest else ""), file=out)
        if file.unfinished:
            print(f"{file.path}: unfinished (.open): still being written, or its crawl was killed", file=out)
        for problem in file.problems:
            where = f"offset {problem.offset}" if problem.offset is not None else "file"
            print(f"{file.path}: {where}: {problem.message}", file=out)
    if not report.files:
        print("no WARC files found", file=out)
    problems = sum(len(file.problems) for file in report.files)
    print(f"{len(report.files)} files, {sum(f.records for f in report.files)} records, {problems} problems, "
          f"{sum(f.unfinished for f in report.files)} unfinished", file=out)
    return 0 if report.ok else 1


def run_check(paths: Iterable[str | os.PathLike[str]], out: TextIO = sys.stdout) -> int:
    """``newsarchive warc check PATH...``: check, print the report, return the exit status."""
    return print_check_report(check_warcs(paths), out)
