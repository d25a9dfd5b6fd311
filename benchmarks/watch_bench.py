"""What an incremental watch run costs next to a full crawl, on an unchanged 1,000-article replica.

    python benchmarks/watch_bench.py [--articles 1000]

Starts the replica (clock not moved: nothing changes on it), then makes three
runs of one watch job into a fresh archive folder, each a real
``python -m crawler crawl`` process started by the scheduler:

1. the first run: a full crawl of the listing, every article and comment page;
2. an incremental run decided 1h10m later: the freshest story (posted half an
   hour before the replica's anchor) is due its 1h revisit, nothing else;
3. an incremental run decided 1h20m later: nothing is due.

For each it prints the requests made (Scrapy's ``downloader/request_count``),
the listing pages among them, what was due, and the seconds (the crawl's own,
and wall time with process start-up), and checks that an incremental run
fetched no more than robots.txt, the listing pages and the due articles with
their comment pages.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawler.runs.demo import replica_server
from crawler.watch.plans import parse_plan
from crawler.watch.scheduler import Scheduler


def plan_for(url: str, archive: Path):  # noqa: ANN201 (a Plan)
    return parse_plan(Path("watch_bench.toml"), {"jobs": {"bench": {
        "spider": "topwar", "cron": "0 * * * *", "output": str(archive), "args": {"start_urls": url},
        "settings": {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 16},
        "revisit": {"ages": ["1h", "6h", "1d", "3d", "7d"]},
    }}})


def fetched(job_dir: Path) -> list[str]:
    """The URL of every response the run archived."""
    urls = []
    for path in sorted(job_dir.glob("*.warc.gz")):
        with path.open("rb") as stream:
            urls += [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(stream)
                     if r.rec_type in ("response", "revisit")]
    return urls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="stories on the replica (default 1000)")
    args = parser.parse_args()
    rows = []
    with replica_server(articles=args.articles) as replica, tempfile.TemporaryDirectory() as folder:
        scheduler = Scheduler(plan_for(replica.url, Path(folder) / "archive"))
        start = datetime.now(timezone.utc)
        for label, now in (("full crawl (first run)", start),
                           ("incremental, 1 due", start + timedelta(hours=1, minutes=10)),
                           ("incremental, none due", start + timedelta(hours=1, minutes=20))):
            began = time.monotonic()
            outcome = scheduler.once("bench", now)
            wall = time.monotonic() - began
            manifest = json.loads((outcome.job_dir / "watch-run.json").read_text())
            urls = fetched(outcome.job_dir)
            listings = [u for u in urls if u == replica.url or "/page/" in u]
            due = {entry["url"] for entry in manifest["due"]}
            due_pages = [u for u in urls if u in due or any(f"news_id={d}" in u for d in
                                                             (e["id"].split(":")[1] for e in manifest["due"]))]
            rows.append((label, outcome.counts["requests"], len(listings), len(manifest["due"]), len(due_pages),
                         outcome.counts["elapsed_seconds"], wall))
            if outcome.run.status != "finished":
                raise SystemExit(f"{label}: the run {outcome.run.status}: {outcome.warnings}")
            if label.startswith("incremental"):
                allowed = 1 + len(listings) + len(due_pages)  # robots.txt, listing pages, due pages
                if outcome.counts["requests"] > allowed:
                    raise SystemExit(f"{label}: {outcome.counts['requests']} requests, more than the {allowed} "
                                     "of robots.txt, listing pages and what was due")
        scheduler.close()
    print(f"replica of {args.articles} articles, unchanged between runs")
    print(f"{'run':<26}{'requests':>9}{'listing':>9}{'due':>5}{'due pages':>11}{'crawl s':>9}{'wall s':>8}")
    for label, requests, listings, due, due_pages, crawl_s, wall in rows:
        print(f"{label:<26}{requests:>9}{listings:>9}{due:>5}{due_pages:>11}{crawl_s:>9.2f}{wall:>8.2f}")
    full, *incremental = rows
    for row in incremental:
        print(f"{row[0]}: {row[1] / full[1]:.4f} of the full crawl's requests, {row[6] / full[6]:.2f} of its wall time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
