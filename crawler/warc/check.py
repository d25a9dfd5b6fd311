"""``newsarchive warc check``: is every record whole, framed right, and are its digests right?

The reading, and every fault it can notice, is :mod:`crawler.warc.reader`'s
(the same reader reprocessing uses); this module turns what it finds into a
report per file. Each problem is reported with the file and the offset an
archivist would pass to ``warcio extract``. ``.open`` files are named as
unfinished: still being written, or left behind by a crawl that was killed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from crawler.warc.reader import ABSENT, VERIFIED, WARC_SUFFIXES, Damage, Problem, scan_warc, warc_paths
from crawler.warc.writer import OPEN_SUFFIX

__all__ = ["WARC_SUFFIXES", "CheckReport", "FileReport", "Problem", "check_warc", "check_warcs", "print_check_report",
           "run_check", "warc_paths"]


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


def check_warcs(paths: Iterable[str | os.PathLike[str]]) -> CheckReport:
    """Check every WARC file in *paths* (files, folders or glob patterns)."""
    return CheckReport([check_warc(path) for path in warc_paths(paths)])


def check_warc(path: Path) -> FileReport:
    """Check one WARC file, gzip-per-record or uncompressed."""
    report = FileReport(path, unfinished=path.name.endswith(OPEN_SUFFIX))
    for event in scan_warc(path):
        if isinstance(event, Damage):
            report.problems.append(event.problem)
            continue
        # A record's digest outcome is settled when the reader hands it over.
        report.records += 1
        report.digests_verified += event.digest == VERIFIED
        report.records_without_digest += event.digest == ABSENT
    return report


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
