"""How much WARC writing slows a crawl: the replica crawled with WARC on and off, in the same run.

    python benchmarks/warc_overhead.py [--runs 5] [--spider topwar] [--articles 1000]

Starts the bundled replica site on 127.0.0.1, then crawls it with the spider
``--runs`` times in each mode, alternating which mode goes first so drift in
the machine's load hits both alike. Each crawl is a fresh ``scrapy crawl``
process writing into a fresh archive folder (so no revisits from an earlier
run), with politeness delays off. Prints pages/s (network responses received
per second of crawl, from Scrapy's own stats) per run and the medians, and
the ratio WARC-on / WARC-off (the aim is at least 0.9).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from crawler.runs.demo import start_replica

REPO = Path(__file__).resolve().parents[1]
CRAWL_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "INFO",
}


def crawl(spider: str, url: str, warc: bool) -> float:
    """One crawl; its pages/s."""
    with tempfile.TemporaryDirectory() as archive:
        settings = {**CRAWL_SETTINGS, "ARCHIVE_DIR": archive, "ARCHIVE_JOB_ID": "bench", "WARC_ENABLED": str(warc)}
        command = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"start_urls={url}"]
        for name, value in settings.items():
            command += ["-s", f"{name}={value}"]
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise SystemExit(f"crawl failed:\n{done.stderr[-3000:]}")
        responses = int(_stat(done.stderr, "response_received_count"))
        elapsed = float(_stat(done.stderr, "elapsed_time_seconds"))
        if warc and not list(Path(archive, "bench").glob("*.warc.gz")):
            raise SystemExit("WARC writing was on but no WARC file was written")
        return responses / elapsed


def _stat(log: str, name: str) -> str:
    found = re.search(rf"'{name}': ([\d.]+)", log)
    if found is None:
        raise SystemExit(f"no {name} in the crawl's stats")
    return found.group(1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="crawls per mode (default 5)")
    parser.add_argument("--spider", default="topwar", help="spider to crawl the replica with (default topwar)")
    parser.add_argument("--articles", type=int, default=1000,
                        help="stories on the replica (default 1000: enough that start-up does not dominate)")
    args = parser.parse_args()
    replica = start_replica(articles=args.articles)
    url = replica.url
    rates: dict[bool, list[float]] = {False: [], True: []}
    try:
        for run in range(args.runs):
            for warc in (run % 2 == 0, run % 2 != 0):
                rates[warc].append(crawl(args.spider, url, warc))
                print(f"run {run + 1}: WARC {'on ' if warc else 'off'} {rates[warc][-1]:7.1f} pages/s", flush=True)
    finally:
        replica.stop()
    off, on = statistics.median(rates[False]), statistics.median(rates[True])
    print(f"median pages/s: WARC off {off:.1f}, WARC on {on:.1f}; ratio on/off {on / off:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
