"""``newsarchive warc check``: is every record whole, framed right, and are its digests right?

The reading, and every fault it can notice, is :mod:`crawler.warc.reader`'s
(the same reader reprocessing uses); this module turns what it finds into a
report per file. Each problem is reported with the file and the offset an
archivist would pass to ``warcio extract``. ``.open`` files are named as
unfinished: still being written, or left behind by a crawl that was killed.
A WACZ package (:mod:`crawler.warc.inputs`) is checked as its WARC files,
plus the digests its ``datapackage.json`` declares and its CDXJ index: each
line must point at a record of the package.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from crawler.warc.inputs import ArchiveInputs, PackageProblem, open_inputs
from crawler.warc.reader import (
    ABSENT,
    VERIFIED,
    WARC_SUFFIXES,
    Damage,
    Problem,
    scan_warc,
    warc_paths,
)
from crawler.warc.sizes import RECORD_LIMIT
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
    offsets: set[int] = field(default_factory=set)  # where its records (or their gzip members) start

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unfinished


@dataclass
class CheckReport:
    files: list[FileReport]
    packages: list[PackageProblem] = field(default_factory=list)  # what is wrong with WACZ packages themselves
    package_digests: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.files) and all(report.ok for report in self.files) and not self.packages


def check_warcs(paths: Iterable[str | os.PathLike[str]], record_limit: int | None = RECORD_LIMIT) -> CheckReport:
    """Check every WARC or ARC file in *paths* (files, folders or glob patterns; WACZ packages opened).

    A record whose block is bigger than *record_limit* bytes is reported, not read (``None``: no limit).
    """
    with open_inputs(paths) as inputs:
        files = [check_warc(path, record_limit) for path in inputs.files]
        problems = list(inputs.problems)
        for package, index in inputs.indexes.items():
            problems += _check_index(package, index, inputs, files)
        for report in files:
            report.path = inputs.shown(report.path)
        return CheckReport(files, problems, inputs.digests_verified)


def _check_index(package: Path, index: Path, inputs: ArchiveInputs, reports: list[FileReport]) -> list[PackageProblem]:
    """Each line of a package's CDXJ index names one of its WARC files and an offset where a record starts."""
    offsets = {report.path.name: report.offsets for report in reports if inputs.package_of.get(report.path) == package}
    problems = []
    with index.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            try:
                fields = json.loads(line.split(" ", 2)[2])
                name, offset = fields["filename"], int(fields["offset"])
            except (IndexError, KeyError, ValueError):
                problems.append(PackageProblem(package, f"index line {number}: not a CDXJ line"))
                continue
            if name not in offsets:
                problems.append(PackageProblem(package, f"index line {number}: names {name}, which the package "
                                                        "does not hold"))
            elif offset not in offsets[name]:
                problems.append(PackageProblem(package, f"index line {number}: no record starts at offset {offset} "
                                                        f"of {name}"))
    return problems


def check_warc(path: Path, record_limit: int | None = RECORD_LIMIT) -> FileReport:
    """Check one WARC file, gzip-per-record or uncompressed."""
    report = FileReport(path, unfinished=path.name.endswith(OPEN_SUFFIX))
    for event in scan_warc(path, record_limit):
        if isinstance(event, Damage):
            report.problems.append(event.problem)
            continue
        # A record's digest outcome is settled when the reader hands it over.
        report.records += 1
        report.offsets.add(event.offset)
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
    for problem in report.packages:
        print(problem, file=out)
    if report.package_digests:
        print(f"WACZ packages: {report.package_digests} file digests verified", file=out)
    if not report.files:
        print("no WARC files found", file=out)
    problems = sum(len(file.problems) for file in report.files) + len(report.packages)
    print(f"{len(report.files)} files, {sum(f.records for f in report.files)} records, {problems} problems, "
          f"{sum(f.unfinished for f in report.files)} unfinished", file=out)
    return 0 if report.ok else 1


def run_check(paths: Iterable[str | os.PathLike[str]], out: TextIO = sys.stdout,
              record_limit: int | None = RECORD_LIMIT) -> int:
    """``newsarchive warc check PATH...``: check, print the report, return the exit status."""
    return print_check_report(check_warcs(paths, record_limit), out)
