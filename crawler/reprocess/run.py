"""``newsarchive reprocess``: saved WARCs in, the same JSON Lines a live crawl wrote out, on every core.

The run: find the WARC and ARC files (those inside WACZ packages copied out,
:mod:`crawler.warc.inputs`); build the capture index (files read in
parallel) or read it from a CDXJ file (given, or the index of the WACZ
packages when every file comes from one); choose the spider and its starting
points; fork the workers, each crawling its share of the starting points with
answers from the archive; merge their shards into the output in archive order
(the first source of each line), so the same input always gives the same file.

The output is replaced only by a complete one: if a shard could not be written
(a full disk, a file-size limit) or a worker failed, nothing is merged; if the
run is interrupted (SIGINT, SIGTERM: :mod:`crawler.reprocess.stopping`), it
stops at once and raises :class:`~crawler.runs.outcome.RunInterrupted`. Either
way the previous output is left as it was.
"""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.domain.outputs import OutputError, atomic_output, check_output, file_identity
from crawler.reprocess.captures import ReadProblem
from crawler.reprocess.index import CaptureIndex, build_index
from crawler.reprocess.notes import Annotator, SourceKey
from crawler.reprocess.progress import Reporter, make_reporter
from crawler.reprocess.result import ReprocessResult
from crawler.reprocess.stopping import StopSignals
from crawler.runs.outcome import RunInterrupted, RunRefused
from crawler.warc.inputs import ArchiveInputs, open_inputs
from crawler.warc.reader import ARCHIVE_SUFFIXES, warc_paths
from crawler.warc.sizes import RECORD_LIMIT
from crawler.warc.writer import OPEN_SUFFIX

if TYPE_CHECKING:
    from scrapy import Spider

logger = logging.getLogger(__name__)

# Below this many starting points per worker, another worker costs more (its start-up) than it saves.
MIN_STARTS_PER_WORKER = 25


def reprocess(
    paths: Sequence[str | os.PathLike[str]],
    *,
    output: str | os.PathLike[str],
    spider: str | type[Spider] | None = None,
    at: str | datetime | None = None,
    all_captures: bool = False,
    cdxj: str | os.PathLike[str] | None = None,
    workers: int | None = None,
    progress: str = "auto",
    log_level: str = "ERROR",
    record_limit: int | None = RECORD_LIMIT,
) -> ReprocessResult:
    """Reprocess the WARCs in *paths* (files, folders, glob patterns) into the JSON Lines file *output*.

    *spider*: the spider to run, by name or class (default: see :func:`~crawler.reprocess.starts.choose_spider`);
    *at*: prefer the captures closest to this time (ISO 8601; default: the latest);
    *all_captures*: one line per article capture, each crawl of the archive on its own;
    *cdxj*: read the capture index from this CDXJ file instead of scanning the WARCs;
    *workers*: processes (default: one per core); *progress*: ``auto``, ``bar``, ``log`` or ``none``;
    *log_level*: Scrapy's log level in the workers; *record_limit*: a record whose block is bigger (bytes) is
    counted and reported, not read (``None``: no limit).

    Raises :class:`~crawler.runs.outcome.RunInterrupted` (its ``result`` says what was done) when SIGINT or
    SIGTERM stops the run: nothing is written then.
    """
    started = time.monotonic()
    result = ReprocessResult(output=Path(output))
    try:
        moment = _moment(at)
    except ValueError as e:
        raise RunRefused(str(e)) from e
    result.files = warc_paths(paths)
    if not result.files:
        raise RunRefused(f"no WARC files found in {', '.join(map(str, paths)) or 'no paths'}")
    missing = [path for path in result.files if not path.exists()]
    if missing:
        # Most likely a typo: refuse before the output (which may hold an earlier run) is touched.
        raise RunRefused(f"no such file: {', '.join(map(str, missing))}")
    try:
        check_output(result.output, [*paths, *result.files, *([cdxj] if cdxj else [])], ARCHIVE_SUFFIXES)
    except OutputError as e:
        raise RunRefused(f"cannot write {result.output}: {e}") from e
    if spider is not None:
        from crawler.reprocess import plan  # Scrapy: see _run

        try:
            spider = plan.requested_spider(spider)  # a bad name is refused before any work
        except plan.UnknownSpider as e:
            raise RunRefused(str(e)) from e
    reporter = make_reporter(progress)
    before = file_identity(result.output)
    try:
        with StopSignals(), open_inputs(result.files) as inputs:
            result.files = inputs.files
            if not result.files:
                why = "".join(f"; {problem}" for problem in inputs.problems)
                raise RunRefused(f"no WARC files found in {', '.join(map(str, paths))}{why}")
            if cdxj is None and inputs.from_packages_only:
                cdxj = _packages_index(inputs)
            _run(result, reporter, spider=spider, at=moment, all_captures=all_captures, cdxj=cdxj,
                 workers=workers or os.cpu_count() or 1, log_level=log_level, record_limit=record_limit)
            _name_for_people(result, inputs)
    except RunInterrupted as e:
        result.interrupted = e.signum
        # The output is renamed into place once complete: if that happened before the signal, it is complete.
        result.output_replaced = file_identity(result.output) != before
        result.elapsed = time.monotonic() - started
        e.result = result
        raise
    finally:
        reporter.close()
    result.elapsed = time.monotonic() - started
    return result


def _packages_index(inputs: ArchiveInputs) -> Path:
    """The CDXJ indexes of all the WACZ packages given, as one file (beside the first)."""
    indexes = list(inputs.indexes.values())
    if len(indexes) == 1:
        return indexes[0]
    joined = indexes[0].with_name("joined.cdxj")
    with joined.open("wb") as out:
        for index in indexes:
            out.write(index.read_bytes())
    return joined


def _name_for_people(result: ReprocessResult, inputs: ArchiveInputs) -> None:
    """Files copied out of WACZ packages named by their place in the package; the packages' own problems added."""
    result.files = [inputs.shown(path) for path in result.files]
    result.problems = [replace(problem, path=inputs.shown(problem.path)) for problem in result.problems]
    result.problems += [ReadProblem(problem.path, None, problem.message, unreadable=problem.lost)
                        for problem in inputs.problems]


def _run(result: ReprocessResult, reporter: Reporter, *, spider: str | type[Spider] | None, at: datetime | None,
         all_captures: bool, cdxj: str | os.PathLike[str] | None, workers: int, log_level: str,
         record_limit: int | None) -> None:
    # The replay half (crawler.reprocess.plan) imports Scrapy; it is imported while other processes
    # scan the WARCs, so that import, and the workers' own (plan.prepare), cost no time of their own.
    reporter.phase("index")
    records_read = 0

    def read(records: int) -> None:
        nonlocal records_read
        records_read += records
        reporter.update(records_read)

    def meanwhile() -> None:
        from crawler.reprocess import plan

        plan.prepare(log_level)

    if cdxj:
        # Reading a CDXJ index needs Scrapy's response classes: imported only when asked for.
        from crawler.reprocess.cdxj import CdxjError, load_cdxj

        try:
            index = load_cdxj(Path(cdxj), result.files)
        except CdxjError as e:
            raise RunRefused(str(e)) from e
    else:
        index = build_index(result.files, workers, read, meanwhile=meanwhile, record_limit=record_limit)
    from crawler.reprocess import plan

    choice = plan.choose(index, spider)
    _describe_index(result, index)
    result.spider, result.spider_reason = choice.name, choice.reason
    units = plan.units(index, choice.spidercls, all_captures, at)
    result.starts = sum(len(unit.starts) for unit in units)
    if not result.starts:
        _write_lines(result.output, [])
        return
    dealt = plan.deal(units, min(workers, math.ceil(result.starts / MIN_STARTS_PER_WORKER)))
    reporter.phase("replay", result.starts)
    with tempfile.TemporaryDirectory(prefix="newsarchive-reprocess-") as shard_dir:
        shards = plan.replay(index, choice.spidercls, dealt, Path(shard_dir), at=at, reporter=reporter,
                             log_level=log_level, result=result, record_limit=record_limit)
        if result.incomplete:
            # A shard that could not be written, a worker that failed: the lines are not all there.
            more = f" (and {len(result.incomplete) - 1} more)" if len(result.incomplete) > 1 else ""
            result.errors.append(f"{result.incomplete[0]}{more}: nothing merged, {result.output} was left as it was")
            return
        annotator = Annotator(result.notes, _media_types(index))
        try:
            result.articles = merge_shards(shards, result.output, result.files, annotator)
        except OSError as e:
            # A full disk, a file-size limit: the previous output is left as it was (crawler.domain.outputs).
            result.errors.append(f"cannot write {result.output}: {e.strerror or e}; it was left as it was")
        except ShardDamaged as e:
            result.errors.append(f"{e}: nothing merged, {result.output} was left as it was")
        result.empty_html, result.added_warnings = annotator.empty_html, annotator.added


def _describe_index(result: ReprocessResult, index: CaptureIndex) -> None:
    result.records = index.records
    result.captures = sum(len(captures) for captures in index.by_url.values())
    result.crawls = sorted(index.crawls)
    result.problems = list(index.problems)


def _moment(at: str | datetime | None) -> datetime | None:
    if at is None or isinstance(at, datetime):
        moment = at
    else:
        try:
            moment = datetime.fromisoformat(at.strip())
        except ValueError as e:
            raise ValueError(f"--at {at!r} is not an ISO 8601 time like 2026-11-25T10:00Z") from e
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


class ShardDamaged(Exception):
    """A shard holds a line that is no JSON: it was not written whole."""


def merge_shards(shards: Sequence[Path], output: Path, files: Sequence[Path], annotator: Annotator | None = None
                 ) -> int:
    """Write the lines of *shards* to *output* in archive order of each line's first source; return the count.

    The *annotator*, if given, adds the warnings that only the replay side knows (see :mod:`crawler.reprocess.notes`).
    A shard line that is no JSON raises :class:`ShardDamaged` before anything is written.
    """
    numbers = {path.name.removesuffix(OPEN_SUFFIX): number for number, path in reversed(list(enumerate(files)))}
    keyed = []
    for shard in shards:
        with shard.open("rb") as fh:
            for number, line in enumerate(fh, 1):
                line = line if line.endswith(b"\n") else line + b"\n"
                try:
                    article = json.loads(line)
                except ValueError as e:
                    raise ShardDamaged(f"{shard}: line {number} is cut or no JSON ({e})") from e
                if annotator is not None:
                    line = annotator.annotate(line, article)
                keyed.append((_archive_order(line, article, numbers, len(files)), line))
    keyed.sort()
    _write_lines(output, [line for _, line in keyed])
    return len(keyed)


def _archive_order(line: bytes, article: dict, numbers: dict[str, int], unknown: int
                   ) -> tuple[int, int, int, bytes]:
    sources = article.get("sources") or []
    if not sources:
        return (1, 0, 0, line)
    first = sources[0]
    offset = first.get("warc_offset")
    return (0, numbers.get(first.get("warc_filename") or "", unknown), -1 if offset is None else offset, line)


def _media_types(index: CaptureIndex) -> Callable[[SourceKey], str | None]:
    """The media type of the capture a line's source names (looked up in *index*, mapped on first use)."""
    by_place: dict[SourceKey, str | None] = {}

    def media_type_of(key: SourceKey) -> str | None:
        if not by_place:
            for capture in index.captures():
                name = index.files[capture.file].name.removesuffix(OPEN_SUFFIX)
                place = (name, capture.offset if capture.length is not None else None, capture.record_id)
                by_place[place] = capture.mime
                by_place.setdefault((name, place[1], None), capture.mime)
        return by_place.get(key, by_place.get((key[0], key[1], None)))

    return media_type_of


def _write_lines(output: Path, lines: Sequence[bytes]) -> None:
    with atomic_output(output) as fh:
        fh.writelines(lines)
