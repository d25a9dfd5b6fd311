"""``newsarchive report``: one HTML file with the crawl's plots, drawn where a person opens it.

The report of real crawls of the replica (two, into one archive folder) plus a
job of hand-written lines in which comment scores moved between captures is
rendered by headless Chromium (Debian's ``chromium``; ``.ci/run`` installs
it): the screenshot must not be blank, and every plot must be an SVG element
with drawing in it in the DOM Chromium built. The page fetches nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from conftest import ReplicaServer, tool_missing

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
PLOTS = 7


def _article(fetched_at: str, scores: list[int]) -> dict:
    comments = [{"id": f"c{n}", "parent_id": None, "depth": 0, "author": f"reader{n}",
                 "posted_at": "2026-11-20T10:00:00+03:00", "posted_at_raw": "20 November 2026 10:00", "score": score,
                 "text": "words", "quotes": [], "deleted": False} for n, score in enumerate(scores)]
    return {"id": "example.org:/watched", "url": "http://example.org/watched", "title": "Watched",
            "published_at": "2026-11-20T09:00:00+03:00", "body": "text", "comments": comments,
            "fetched_at": fetched_at, "warnings": [], "sources": []}


@pytest.fixture(scope="module")
def archive(replica: ReplicaServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-archive")
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "crawler", "crawl", "topwar", "-a", f"start_urls={replica.url}",
                               "-a", "max_articles=60", "--out", str(folder), "-q", "-s", "AUTOTHROTTLE_ENABLED=False",
                               "-s", "DOWNLOAD_DELAY=0"], cwd=REPO, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
    watched = folder / "2026-11-20-watch"
    watched.mkdir()
    (watched / "items.jsonl").write_text("".join(json.dumps(line) + "\n" for line in (
        _article("2026-11-20T12:00:00+00:00", [1, 5, -2]), _article("2026-11-21T12:00:00+00:00", [4, 5, -7]))))
    return folder


@pytest.fixture(scope="module")
def report(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("report") / "report.html"
    done = subprocess.run([sys.executable, "-m", "crawler", "report", str(archive), "-o", str(output)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"newsarchive: wrote {output}: {PLOTS} plots, ")
    return output


def test_the_page_is_self_contained(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert page.count("<svg") == PLOTS
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r"url\((?!#)", page)  # only references inside the page (clip paths)
    # No fetches: the only URLs are archived pages' addresses in the text and SVG namespaces.
    assert not re.search(r"(src|href)=['\"]https?:", page)


def test_the_numbers_on_the_page(report: Path, archive: Path) -> None:
    page = report.read_text(encoding="utf-8")
    jobs = [path for path in archive.iterdir() if path.is_dir()]
    lines = [json.loads(line) for job in jobs for line in (job / "items.jsonl").read_text().splitlines()]
    assert "<tr><th>crawls (job folders, packages)</th><td class='n'>3</td></tr>" in page
    assert f"<tr><th>articles (lines)</th><td class='n'>{len(lines)}</td></tr>" in page
    # Text is drawn as paths; matplotlib keeps each text as a comment beside them.
    assert "<!-- Score across captures: the 2 comments that moved most -->" in page
    assert "<!-- HTTP status codes -->" in page
    assert "from fetch-times.jsonl (Scrapy&#x27;s download latency: request sent to response received)" in page
    assert page.count("<td class='url'>") == 15  # the fifteen slowest pages


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        tool_missing("Debian's chromium is not installed (.ci/run installs it)")
    return found


def test_chromium_draws_every_plot(report: Path, tmp_path: Path) -> None:
    chromium = _chromium()
    flags = [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", report.as_uri()], capture_output=True, text=True,
                         timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    figures = re.findall(r"<figure>(.*?)</figure>", dom.stdout, re.DOTALL)
    assert len(figures) == PLOTS
    for figure in figures:
        assert figure.lstrip().startswith("<svg") and figure.count("<path") > 10
    screenshot = tmp_path / "report.png"
    shot = subprocess.run([chromium, *flags, "--window-size=1100,4200", f"--screenshot={screenshot}",
                           report.as_uri()], capture_output=True, text=True, timeout=120)
    assert shot.returncode == 0 and screenshot.exists(), shot.stderr[-2000:]
    with Image.open(screenshot) as image:
        pixels = image.convert("RGB")
        colors = pixels.getcolors(maxcolors=1 << 20) or []
        inked = sum(count for count, color in colors if color != (255, 255, 255))
        width, height = pixels.size
        # The plots' own colours: bars in blue, green and orange are on the page.
        drawn = {color for _, color in colors}
    assert inked > 0.05 * width * height, "the page is mostly blank"
    assert {(0x2b, 0x6c, 0xb0), (0x2f, 0x85, 0x5a), (0xdd, 0x6b, 0x20)} <= drawn


def test_nothing_to_report_is_refused(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "crawler", "report", str(tmp_path), "-o", str(tmp_path / "r.html")],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (
        2, f"newsarchive report: error: no WARC records and no items.jsonl lines in {tmp_path}\n")
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(("warning", "kind"), [
    ("comment 37974443: unreadable date '31 Smarch 2020 25:61'", "comment …: unreadable date …"),
    ("the page declares 9 comments but 0 were read", "the page declares … comments but … were read"),
    ("article page could not be fetched: HTTP 404", "article page could not be fetched: HTTP …"),
    ("published_at: the page gives a date without a time ('2017-01-11'); stored as midnight UTC",
     "published_at: the page gives a date without a time …; stored as midnight UTC"),
    ("no title", "no title"),
])
def test_warnings_are_counted_by_kind(warning: str, kind: str) -> None:
    from crawler.report.collect import warning_kind

    assert warning_kind(warning) == kind
