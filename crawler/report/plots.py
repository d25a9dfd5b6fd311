"""The report's plots, drawn by matplotlib (Agg backend) as SVG text to put inline in the page.

Text is drawn as paths (matplotlib's default ``svg.fonttype``), so the page
needs no font from anywhere; ids are salted with a fixed string, so the same
data gives the same bytes. A plot with nothing to show is not drawn: the page
says so instead.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402 -- the backend is chosen before pyplot is imported
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from crawler.report.collect import CaptureRow, ScoreTrack  # noqa: E402

_STYLE = {"svg.hashsalt": "newsarchive", "svg.fonttype": "path", "font.size": 9, "axes.spines.top": False,
          "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3}
_BLUE, _ORANGE, _GREEN, _RED, _GREY = "#2b6cb0", "#dd6b20", "#2f855a", "#c53030", "#718096"
_MOVERS = 12


@contextmanager
def _figure(width: float = 7.5, height: float = 3.0) -> Iterator[Figure]:
    with plt.rc_context(_STYLE):
        figure = plt.figure(figsize=(width, height))
        try:
            yield figure
        finally:
            plt.close(figure)


def _svg(figure: Figure) -> str:
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    text = out.getvalue()
    return text[text.index("<svg"):]  # inline: no XML declaration or doctype


def pages_over_time(captures: list[CaptureRow], per_minute: dict[datetime, int]) -> str | None:
    if not captures:
        return None
    with _figure() as figure:
        axes = figure.add_subplot(1, 1, 1)
        dates = [row.date for row in captures]
        axes.step(dates, range(1, len(dates) + 1), where="post", color=_BLUE, label="pages fetched (cumulative)")
        axes.set_ylabel("pages fetched")
        if len(per_minute) > 1:
            rate = axes.twinx()
            rate.bar(list(per_minute), list(per_minute.values()), width=1 / 1440, alpha=0.35, color=_ORANGE,
                     label="per minute")
            rate.set_ylabel("per minute")
        _date_axis(axes)
        axes.set_title("Pages fetched over time (WARC-Date of each response and revisit)")
        return _svg(figure)


def status_codes(captures: list[CaptureRow]) -> str | None:
    counts = Counter(str(row.status) if row.status is not None else "?" for row in captures)
    if not counts:
        return None
    labels = sorted(counts)
    colors = [_GREEN if code.startswith("2") else _BLUE if code.startswith("3") else _ORANGE if code.startswith("4")
              else _RED for code in labels]
    with _figure(7.5, 2.6) as figure:
        axes = figure.add_subplot(1, 1, 1)
        bars = axes.bar(labels, [counts[label] for label in labels], color=colors)
        axes.bar_label(bars, padding=2)
        axes.set_ylabel("captures")
        axes.set_title("HTTP status codes")
        return _svg(figure)


def bytes_by_type(captures: list[CaptureRow]) -> str | None:
    volume: Counter[str] = Counter()
    for row in captures:
        volume[row.mime + (" (revisit)" if row.revisit else "")] += row.bytes
    if not volume:
        return None
    top = volume.most_common(10)
    with _figure(7.5, 0.6 + 0.32 * len(top)) as figure:
        axes = figure.add_subplot(1, 1, 1)
        names = [name for name, _ in reversed(top)]
        sizes = [size / 1024 for _, size in reversed(top)]
        bars = axes.barh(names, sizes, color=_BLUE)
        axes.bar_label(bars, labels=[size_text(size * 1024) for size in sizes], padding=2)
        axes.set_xlabel("KiB archived (WARC record blocks)")
        axes.set_title(f"Bytes archived by media type: {size_text(sum(volume.values()))} in all")
        return _svg(figure)


def per_day(articles: Counter[str], comments: Counter[str]) -> str | None:
    if not articles and not comments:
        return None
    with _figure(7.5, 3.4) as figure:
        top = figure.add_subplot(2, 1, 1)
        bottom = figure.add_subplot(2, 1, 2, sharex=top)
        for axes, counts, color, what in ((top, articles, _BLUE, "articles published"),
                                          (bottom, comments, _GREEN, "comments posted")):
            days = [datetime.fromisoformat(day) for day in sorted(counts)]
            axes.bar(days, [counts[day] for day in sorted(counts)], width=0.8, color=color)
            axes.set_ylabel(what.split()[0])
            axes.set_title(f"{what.capitalize()} per day (UTC)", fontsize=9)
        _date_axis(bottom)
        return _svg(figure)


def score_distribution(scores: list[int]) -> str | None:
    if not scores:
        return None
    counts = Counter(scores)
    with _figure(7.5, 2.6) as figure:
        axes = figure.add_subplot(1, 1, 1)
        values = sorted(counts)
        axes.bar(values, [counts[v] for v in values], width=0.8,
                 color=[_RED if v < 0 else _GREY if v == 0 else _GREEN for v in values])
        axes.set_xlabel("score")
        axes.set_ylabel("comments")
        axes.set_title(f"Comment scores ({len(scores)} comments with a score)")
        return _svg(figure)


def score_movement(tracks: list[ScoreTrack]) -> str | None:
    moved = sorted((track for track in tracks if track.movement), key=lambda t: -t.movement)[:_MOVERS]
    if not moved:
        return None
    with _figure(7.5, 3.2) as figure:
        axes = figure.add_subplot(1, 1, 1)
        for track in moved:
            axes.plot([when for when, _ in track.points], [score for _, score in track.points], marker="o",
                      linewidth=1, label=f"{track.comment} ({track.author or '?'})")
        axes.set_ylabel("score")
        axes.set_title(f"Score across captures: the {len(moved)} comments that moved most")
        axes.legend(fontsize=6, ncols=2, loc="best")
        _date_axis(axes)
        return _svg(figure)


def warnings_by_kind(kinds: Counter[str]) -> str | None:
    if not kinds:
        return None
    top = kinds.most_common(12)
    with _figure(7.5, 0.6 + 0.3 * len(top)) as figure:
        axes = figure.add_subplot(1, 1, 1)
        bars = axes.barh([kind for kind, _ in reversed(top)], [n for _, n in reversed(top)], color=_ORANGE)
        axes.bar_label(bars, padding=2)
        axes.set_xlabel("lines")
        axes.set_title("Warnings on the lines, by kind")
        axes.tick_params(axis="y", labelsize=7)
        return _svg(figure)


def _date_axis(axes: plt.Axes) -> None:
    locator = mdates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def size_text(count: float) -> str:
    """A byte count for people: ``812 B``, ``3.4 MiB``."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GiB"
