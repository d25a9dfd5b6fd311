"""What a reprocessing run produced, and how it reads on a terminal: counts, every problem, every miss."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.reprocess.captures import ReadProblem
from crawler.reprocess.notes import CaptureNote
from crawler.runs.outcome import EXIT_FAILED, EXIT_OK, missing_fields_lines, ran_cleanly, signal_name

_SUMMED_STATS = ("newsarchive/", "reprocess/", "log_count/ERROR", "spider_exceptions/", "item_scraped_count")


@dataclass(frozen=True)
class Miss:
    """A request the archive could not answer: its URL, the page that asked for it, and why."""

    url: str
    referer: str | None
    reason: str


@dataclass
class ReprocessResult:
    """A finished run. ``problems``: the input's, with file and offset; ``misses``: unanswered requests."""

    output: Path
    files: list[Path] = field(default_factory=list)
    spider: str | None = None
    spider_reason: str = ""
    records: int = 0
    captures: int = 0
    crawls: list[str] = field(default_factory=list)
    starts: int = 0
    articles: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    finish_reasons: list[str] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    notes: list[CaptureNote] = field(default_factory=list)
    empty_html: int = 0  # lines with neither title nor body from an HTML capture
    added_warnings: int = 0  # put on lines as they were written (crawler.reprocess.notes), not counted by the crawl
    errors: list[str] = field(default_factory=list)
    # Why the replay's lines are not all there (a shard not written, a worker that failed): nothing is merged.
    incomplete: list[str] = field(default_factory=list)
    interrupted: int | None = None  # the signal that stopped the run
    output_replaced: bool = False  # by a complete output, before the run was interrupted
    elapsed: float = 0.0

    @property
    def unreadable(self) -> list[ReadProblem]:
        return [problem for problem in self.problems if problem.unreadable]

    @property
    def exit_status(self) -> int:
        """0: everything read and every crawl clean; 1: some input unreadable, a crawl had errors, or most lines
        from HTML pages came out with neither title nor body; 128 + the signal's number: interrupted."""
        if self.interrupted is not None:
            return 128 + self.interrupted
        clean = ran_cleanly(self.finish_reasons, self.stats, self.errors)
        return EXIT_OK if clean and not self.unreadable and not self.mostly_empty else EXIT_FAILED

    @property
    def mostly_empty(self) -> bool:
        """Whether most lines came out with neither title nor body from HTML pages: the extraction failed."""
        return self.empty_html * 2 > self.articles

    def add_stats(self, stats: dict[str, Any]) -> None:
        """Sum a crawler's counters into the run's (and gather its lines about changed markup)."""
        for key, value in stats.items():
            if key.startswith(_SUMMED_STATS) and isinstance(value, int):
                self.stats[key] = self.stats.get(key, 0) + value
            elif key == "newsarchive/markup_changed":
                known = self.stats.setdefault(key, [])
                known.extend(line for line in value if line not in known)
        self.finish_reasons.append(str(stats.get("finish_reason", "did not finish")))

    def summary(self) -> str:
        """Lines for the terminal: what came out, then every problem and every request the archive could not answer."""
        if self.interrupted is not None:
            return self._interrupted_summary()
        s = self.stats
        unreadable = len(self.unreadable)
        lines = [
            f"newsarchive: reprocessed {_count(len(self.files), 'WARC file')} in {self.elapsed:.1f} s: "
            f"{_count(self.records, 'record')}, {_count(self.captures, 'capture')} "
            f"in {_count(len(self.crawls), 'crawl')}",
            f"  spider:          {self.spider} ({self.spider_reason})",
            f"  starting points: {self.starts}",
            f"  articles:        {self.articles} ({s.get('newsarchive/articles_with_warnings', 0)} with warnings)",
            f"  comments:        {s.get('newsarchive/comments', 0)}",
            f"  warnings:        {s.get('newsarchive/warnings', 0) + self.added_warnings}",
            f"  empty:           {self.empty_html} of {self.articles} lines from HTML pages have neither title nor body"
            + (" (most: exit status 1)" if self.mostly_empty else ""),
            *missing_fields_lines(s),
            f"  not in archive:  {_count(len(self.misses), 'request')}",
            f"  problems:        {len(self.problems)} ({unreadable} unreadable)",
            f"  errors:          {len(self.errors) + s.get('log_count/ERROR', 0)}",
            f"  JSON Lines:      {self.output}",
            *s.get("newsarchive/markup_changed", []),
        ]
        lines += _section("problems (file: offset: what)", (_problem_line(p) for p in self.problems))
        lines += _section("not in the archive (URL <- page that asked for it: why)",
                          (f"  {miss.url} <- {miss.referer or '(a starting point)'}: {miss.reason}"
                           for miss in self.misses))
        lines += _section("errors", (f"  {error}" for error in self.errors))
        return "\n".join(lines)


    def _interrupted_summary(self) -> str:
        written = (f"{self.output} was written in full before that" if self.output_replaced
                   else f"nothing was written, {self.output} was left as it was")
        lines = [f"newsarchive: reprocessing interrupted by {signal_name(self.interrupted or 0)} after "
                 f"{self.elapsed:.1f} s: {written}"]
        return "\n".join(lines + _section("errors", (f"  {error}" for error in self.errors)))


def _problem_line(problem: ReadProblem) -> str:
    return f"  {problem}" + ("" if problem.unreadable else " (note)")


def _section(title: str, lines: Iterable[str]) -> list[str]:
    lines = list(lines)
    return [f"{title}:", *lines] if lines else []


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
