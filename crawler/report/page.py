"""The report page: a summary, the plots, the slowest pages and the problems, in one HTML file."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from crawler import __version__
from crawler.domain.outputs import OutputError, atomic_output, check_output
from crawler.report import plots
from crawler.report.collect import ReportData, collect, day_counts, per_minute
from crawler.runs.outcome import RunRefused

_SLOWEST = 15
_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #1a202c; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #e2e8f0; }
table { border-collapse: collapse; font-size: 0.9em; } td, th { padding: 0.2em 0.8em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } tr:nth-child(even) { background: #f7fafc; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
p.none { color: #718096; font-style: italic; } .url { word-break: break-all; }
"""


class ReportError(RunRefused):
    """No report can be made (no such folder, nothing in it); nothing was written (exit status 2)."""


@dataclass
class ReportResult:
    output: Path
    plots: int
    captures: int
    articles: int

    def summary(self) -> str:
        return (f"newsarchive: wrote {self.output}: {self.plots} plots, {self.captures} captures, "
                f"{self.articles} articles")


def write_report(paths: list[str | os.PathLike[str]], output: str | os.PathLike[str]) -> ReportResult:
    """Write the report on the archives in *paths* (job folders, archive folders, WACZ packages) to *output*."""
    sources = [Path(path) for path in paths]
    missing = [str(path) for path in sources if not path.exists()]
    if missing:
        raise ReportError(f"no such file or folder: {', '.join(missing)}")
    try:
        output = check_output(output, sources)
    except OutputError as e:
        raise ReportError(f"cannot write {output}: {e}") from e
    data = collect(sources)
    if not data.captures and not data.articles:
        raise ReportError(f"no WARC records and no items.jsonl lines in {', '.join(map(str, sources))}")
    figures = _figures(data)
    with atomic_output(output, "w", encoding="utf-8") as fh:
        fh.write(_page(data, figures))
    return ReportResult(output, sum(svg is not None for _, svg, _ in figures), len(data.captures), len(data.articles))


def _figures(data: ReportData) -> list[tuple[str, str | None, str]]:
    """(title, SVG or None, what to say when there is nothing to draw) of each plot, in page order."""
    scores = [c["score"] for c in data.comments if isinstance(c.get("score"), int)]
    tracks = data.score_tracks()
    return [
        ("Pages fetched over time", plots.pages_over_time(data.captures, per_minute(data.captures)),
         "no response or revisit records"),
        ("Status codes", plots.status_codes(data.captures), "no response or revisit records"),
        ("Bytes", plots.bytes_by_type(data.captures), "no response or revisit records"),
        ("Articles and comments per day",
         plots.per_day(day_counts(data.articles, "published_at"), day_counts(data.comments, "posted_at")),
         "no article or comment with a date"),
        ("Comment scores", plots.score_distribution(scores), "no comment with a score"),
        ("Score movement across captures", plots.score_movement(tracks),
         "no comment was captured more than once" if not tracks
         else f"{len(tracks)} comments were captured more than once; none changed its score"),
        ("Warnings by kind", plots.warnings_by_kind(data.warnings_by_kind()), "no warnings: every line read whole"),
    ]


def _page(data: ReportData, figures: list[tuple[str, str | None, str]]) -> str:
    e = html.escape
    names = ", ".join(str(source) for source in data.sources)
    parts = [f"<!doctype html>\n<html lang='en'><head><meta charset='utf-8'><title>Crawl report: {e(names)}</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<h1>Crawl report</h1><p>{e(names)}<br>written {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by "
             f"newsarchive {__version__}</p>", _summary(data)]
    for title, svg, otherwise in figures:
        parts.append(f"<h2>{e(title)}</h2>")
        parts.append(f"<figure>{svg}</figure>" if svg else f"<p class='none'>{e(otherwise)}</p>")
    parts.append(_slowest(data))
    if data.problems:
        parts.append("<h2>Problems in the archive</h2><ul>"
                     + "".join(f"<li>{e(problem)}</li>" for problem in data.problems) + "</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _summary(data: ReportData) -> str:
    captures = data.captures
    span = f"{captures[0].date:%Y-%m-%d %H:%M:%S} to {captures[-1].date:%Y-%m-%d %H:%M:%S} UTC" if captures else "—"
    with_warnings = sum(bool(article.get("warnings")) for article in data.articles)
    rows = [("crawls (job folders, packages)", data.jobs), ("captures (responses and revisits)", len(captures)),
            ("of them revisits", sum(row.revisit for row in captures)),
            ("bytes archived", plots.size_text(sum(row.bytes for row in captures))), ("captured", span),
            ("articles (lines)", len(data.articles)), ("articles with warnings", with_warnings),
            ("comments", len(data.comments)), ("problems in the archive", len(data.problems))]
    return "<table>" + "".join(f"<tr><th>{html.escape(name)}</th><td class='n'>{html.escape(str(value))}</td></tr>"
                               for name, value in rows) + "</table>"


def _slowest(data: ReportData) -> str:
    title = "<h2>Slowest pages</h2>"
    if not data.timings:
        return (title + "<p class='none'>no fetch times: this archive has no fetch-times.jsonl (written by crawls "
                "of newsarchive 0.1 and later) and its WARC writer stamped each request and its response with "
                "the same time</p>")
    rows = sorted(data.timings, key=lambda timing: -timing.seconds)[:_SLOWEST]
    return (title + f"<p>from {html.escape(data.timing_source)}</p><table><tr><th>seconds</th><th>status</th>"
            "<th>URL</th></tr>" + "".join(_row(t.seconds, t.status, t.url) for t in rows) + "</table>")


def _row(seconds: float, status: int | None, url: str) -> str:
    return (f"<tr><td class='n'>{seconds:.3f}</td><td class='n'>{status if status is not None else ''}</td>"
            f"<td class='url'>{html.escape(url)}</td></tr>")
