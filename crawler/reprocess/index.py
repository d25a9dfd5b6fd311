"""The capture index: every archived response of the input WARCs by URL, grouped by the crawl it belongs to.

Built on the fly from the files (:func:`build_index`, files scanned in
parallel) or from a CDXJ index (:mod:`crawler.reprocess.cdxj`). A crawl
("group") is named by its warcinfo's ``isPartOf`` (our job id), else by its
warcinfo record, else by its file. :meth:`CaptureIndex.choose` picks the
capture that answers a request:

1. in the group the caller pins (the group of the page that led to the
   request), when that group holds the URL;
2. else by the policy: the capture closest to ``at`` if given, else the latest;
   that capture's group is then the request's group;
3. within a group, the latest capture of the URL, so a ``503`` that was
   retried and then answered ``200`` replays as the ``200``, and a URL
   captured only as a ``503`` replays as that ``503``.

Revisit records resolve to the record they refer to (:meth:`original_of`),
which may sit in another input file.

Sloppy archives are met halfway. Records that share a ``WARC-Record-ID``
(a file copied twice into a crawl, a writer that retried) are one capture:
the copy that can be trusted most is kept (verified digests, right framing),
the others are kept aside (:meth:`CaptureIndex.other_copies`) in case replay
finds it cut short. A URL with no capture of its own is answered by a capture
of the same resource written another way (:func:`~crawler.reprocess.captures.loose_key`:
a trailing slash, a default port, the case of scheme and host,
percent-encoding), as a redirect's ``Location`` often is.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.reprocess.captures import (
    Capture,
    CrawlInfo,
    FileScan,
    ReadProblem,
    loose_key,
    url_key,
)
from crawler.reprocess.scan import (
    Stretch,
    cut_points,
    join_stretches,
    scan_file,
    scan_stretch,
    stretches_meet,
)
from crawler.reprocess.stopping import forked, signals_held
from crawler.warc.sizes import RECORD_LIMIT

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized

logger = logging.getLogger(__name__)

_PROGRESS_SECONDS = 0.25


@dataclass(frozen=True)
class Crawl:
    """One capture group: a crawl's name, and the spider its warcinfo names (ours record it)."""

    name: str
    spider: str | None = None


@dataclass
class CaptureIndex:
    """Captures by URL (oldest first within a URL), by record id and by payload digest."""

    files: list[Path]
    records: int = 0
    problems: list[ReadProblem] = field(default_factory=list)
    crawls: dict[str, Crawl] = field(default_factory=dict)
    by_url: dict[str, list[Capture]] = field(default_factory=dict)
    by_id: dict[str, Capture] = field(default_factory=dict)
    by_digest: dict[str, list[Capture]] = field(default_factory=dict)
    copies: dict[str, list[Capture]] = field(default_factory=dict)  # record id -> the copies not kept
    _loose: dict[str, list[str]] | None = field(default=None, repr=False)  # built on the first miss

    @classmethod
    def from_scans(cls, files: list[Path], scans: Iterable[FileScan]) -> CaptureIndex:
        """The index of *scans* (one per input file, any order)."""
        index = cls(files)
        scans = sorted(scans, key=lambda scan: scan.file)
        crawl_infos = [info for scan in scans for info in scan.crawls]
        names = _group_names(crawl_infos, files)
        for scan in scans:
            index.records += scan.records
            index.problems += scan.problems
            for capture in scan.captures:
                capture.group = names.get(capture.group) or _file_group(capture.group)
                index.add(capture)
        index.crawls = _crawls(crawl_infos, names, index)
        index.finish()
        return index

    def add(self, capture: Capture) -> None:
        if capture.record_id and _same_record(self.by_id.get(capture.record_id), capture):
            self.copies.setdefault(capture.record_id, []).append(capture)
            return
        self.by_url.setdefault(capture.key, []).append(capture)
        if capture.record_id and capture.kind != "revisit":
            self.by_id[capture.record_id] = capture
        if capture.digest and capture.kind != "revisit":
            self.by_digest.setdefault(capture.digest, []).append(capture)

    def _keep_best_copies(self) -> None:
        """Of records sharing an id, keep the one to trust most in the index (on a tie the first); note the others."""
        for record_id, others in self.copies.items():
            kept = self.by_id[record_id]
            best = max([kept, *others], key=lambda c: c.quality)  # max keeps the first of equals
            if best is not kept:
                captures = self.by_url[kept.key]
                captures[captures.index(kept)] = best
                self.by_id[record_id] = best
                if kept.digest and best.digest == kept.digest:
                    same = self.by_digest[kept.digest]
                    same[same.index(kept)] = best
                others[others.index(best)] = kept
            where = ", ".join(f"{self.files[c.file].name} offset {c.offset}" for c in others)
            self.problems.append(ReadProblem(
                self.files[best.file], best.offset,
                f"record {record_id} is in the archive more than once (also at {where}): this copy is used",
                unreadable=False))

    def other_copies(self, capture: Capture) -> list[Capture]:
        """The other records with *capture*'s record id (to try when it turns out cut short)."""
        return self.copies.get(capture.record_id or "", [])

    def finish(self) -> None:
        """Order each URL's captures by date (archive order on ties); complete revisits from their originals."""
        if self.copies:
            self._keep_best_copies()
        for captures in self.by_url.values():
            captures.sort(key=lambda c: (c.date, c.order))
        for capture in self.captures():
            if capture.kind != "revisit" or (capture.status is not None and capture.mime is not None):
                continue
            if (original := self.original_of(capture)) is not None:
                capture.status = original.status if capture.status is None else capture.status
                capture.mime = capture.mime or original.mime
                capture.location = capture.location or original.location

    def captures(self) -> Iterable[Capture]:
        for captures in self.by_url.values():
            yield from captures

    def captures_of(self, url: str, method: str = "GET") -> list[Capture]:
        """The captures of *url* made with *method*, oldest first (compared as Scrapy requests them).

        None of its own: those of the same resource written another way (see the module docstring).
        """
        captures = self.by_url.get(url_key(url))
        if captures is None:
            captures = self.equivalent_captures(url)
        return [capture for capture in captures if capture.method == method]

    def equivalent_captures(self, url: str) -> list[Capture]:
        """The captures of URLs that are *url* written another way, oldest first."""
        if self._loose is None:
            self._loose = {}
            for key in self.by_url:
                self._loose.setdefault(loose_key(key), []).append(key)
        keys = self._loose.get(loose_key(url), [])
        found = [capture for key in keys for capture in self.by_url[key]]
        return sorted(found, key=lambda c: (c.date, c.order)) if len(keys) > 1 else found

    def choose(self, url: str, method: str = "GET", *, group: str | None = None, strict: bool = False,
               at: datetime | None = None) -> Capture | None:
        """The capture that answers *url*: see the module docstring. *strict*: only from *group*."""
        captures = self.captures_of(url, method)
        if group is not None:
            in_group = [capture for capture in captures if capture.group == group]
            if in_group or strict:
                return in_group[-1] if in_group else None
        if not captures:
            return None
        chosen = captures[-1] if at is None else min(reversed(captures), key=lambda c: abs(c.date - at))
        return [capture for capture in captures if capture.group == chosen.group][-1]

    def original_of(self, revisit: Capture) -> Capture | None:
        """The capture whose payload a revisit repeats: by WARC-Refers-To, else by payload digest (and URL, date)."""
        if revisit.refers_to and (original := self.by_id.get(revisit.refers_to)) is not None:
            return original
        candidates = self.by_digest.get(revisit.digest or "", [])
        if not candidates:
            return None
        for wanted in ((revisit.refers_to_url, revisit.refers_to_date), (revisit.refers_to_url, None),
                       (revisit.url, None)):
            for candidate in candidates:
                if candidate.url == wanted[0] and (wanted[1] is None or _same_moment(candidate.date, wanted[1])):
                    return candidate
        return candidates[0]

    def spiders_named(self) -> Counter[str]:
        """How many crawls name each spider in their warcinfo records."""
        return Counter(crawl.spider for crawl in self.crawls.values() if crawl.spider)

    def hosts(self) -> Counter[str]:
        """How many captures each host has."""
        return Counter((urlsplit(url).hostname or "") for url, captures in self.by_url.items() for _ in captures)


def _same_record(kept: Capture | None, capture: Capture) -> bool:
    """Whether *capture* is another copy of the record *kept* (the same id could be reused for another)."""
    return kept is not None and (kept.key, kept.date, kept.kind) == (capture.key, capture.date, capture.kind)


def _same_moment(date: datetime, text: str) -> bool:
    try:
        other = datetime.fromisoformat(text.strip())
    except ValueError:
        return False
    return other.tzinfo is not None and date == other


def _file_group(key: str) -> str:
    return key.removeprefix("file:").removeprefix("warcinfo:")


def _group_names(infos: Sequence[CrawlInfo], files: list[Path]) -> dict[str, str]:
    """Group key -> crawl name: isPartOf, else the warcinfo record with its file, so names are readable."""
    return {info.key: info.part_of or f"{files[info.file].name} {info.key.removeprefix('warcinfo:')}" for info in infos}


def _crawls(infos: Sequence[CrawlInfo], names: dict[str, str], index: CaptureIndex) -> dict[str, Crawl]:
    crawls: dict[str, Crawl] = {}
    for info in infos:
        name = names[info.key]
        if name not in crawls or (crawls[name].spider is None and info.spider):
            crawls[name] = Crawl(name, info.spider)
    for capture in index.captures():
        crawls.setdefault(capture.group, Crawl(capture.group))
    return crawls


def build_index(files: list[Path], workers: int = 1, progress: Callable[[int], None] | None = None,
                meanwhile: Callable[[], None] | None = None, record_limit: int | None = RECORD_LIMIT) -> CaptureIndex:
    """Scan *files* into a :class:`CaptureIndex`: in *workers* processes (forked) when there are several.

    With more workers than files, each big gzipped file is read in as many
    stretches at once (see :mod:`crawler.reprocess.scan`). *progress* is
    called now and then with the number of records read since its last call.
    *meanwhile*, if given, is run in this process while the scanning
    processes work (with one worker, once the scan is done): it is how the
    caller uses this core instead of waiting. A record bigger than
    *record_limit* bytes is counted and reported, not read.
    """
    if workers <= 1:
        index = CaptureIndex.from_scans(files, [scan_file(path, number, progress, record_limit)
                                                for number, path in enumerate(files)])
        if meanwhile is not None:
            meanwhile()
        return index
    parts = workers // len(files)
    jobs = [(number, start, end) for number, path in enumerate(files) for start, end in _stretches(path, parts)]
    context = get_context("fork")
    records_read = context.Value("q", 0)  # added to by the scanning processes, read here for the progress
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                             initializer=_count_into, initargs=(records_read, os.getpid())) as pool:
        try:
            with signals_held():  # the pool forks its processes as work is first submitted
                futures = [pool.submit(_scan_counted, files[number], number, start, end, record_limit)
                           for number, start, end in jobs]
            if meanwhile is not None:
                meanwhile()
            reported, pending = 0, futures
            while pending:
                pending = list(wait(pending, timeout=_PROGRESS_SECONDS).not_done)
                if progress is not None and (read := records_read.value) > reported:
                    progress(read - reported)
                    reported = read
        except BaseException:
            _stop(pool)  # interrupted: what the scanning processes find would be thrown away: they are not waited for
            raise
        stretches = [future.result() for future in futures]
    return CaptureIndex.from_scans(files, [_joined(path, number, [stretch for (file, _, _), stretch
                                                                   in zip(jobs, stretches) if file == number],
                                                   record_limit)
                                           for number, path in enumerate(files)])


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the pool's work and kill its processes (Python 3.14 has ``kill_workers`` for this)."""
    kill_workers = getattr(pool, "kill_workers", None)
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    if kill_workers is not None:
        kill_workers()
        return
    for process in processes:
        process.kill()


def _stretches(path: Path, parts: int) -> list[tuple[int, int | None]]:
    """(start, end) of the stretches *path* is read in: the whole file unless there are workers to spare."""
    try:
        cuts = cut_points(path, parts) if parts > 1 else []
    except OSError:  # the scan reports it, with the file
        cuts = []
    return list(zip([0, *cuts], [*cuts, None]))


def _joined(path: Path, file: int, stretches: list[Stretch], record_limit: int | None) -> FileScan:
    if stretches_meet(stretches):
        return join_stretches(path, stretches)
    logger.info("%s: a stretch did not end where the next began; the file is read again whole", path)
    return scan_file(path, file, record_limit=record_limit)


_records_read: Synchronized[int] | None = None  # in a scanning process: the counter it adds to


def _count_into(counter: Synchronized[int], parent: int) -> None:
    global _records_read
    forked(parent)
    _records_read = counter


def _scan_counted(path: Path, file: int, start: int, end: int | None, record_limit: int | None) -> Stretch:
    return scan_stretch(path, file, start, end, _add_records, record_limit)


def _add_records(records: int) -> None:
    assert _records_read is not None
    with _records_read.get_lock():
        _records_read.value += records
