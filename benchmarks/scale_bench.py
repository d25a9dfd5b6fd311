"""How a crawl scales over workers: pages/s for 1, 2 and 4 workers through one Redis, in the same run.

    python benchmarks/scale_bench.py [--runs 1] [--articles 1000] [--latency 100] [--concurrency 4]

Starts a redis-server (its files in a temporary folder) and the bundled replica on 127.0.0.1 with every answer
``--latency`` ms late, as a distant server's would be: most of a real crawl's time is spent waiting, and workers
overlap their waiting. Each worker is polite on its own (``--concurrency`` requests at a time, the setting a
crawl of a real site would use), so more workers means more requests in flight. Crawls the whole replica with
``newsarchive crawl topwar --redis URL --workers N`` for N = 1, 2, 4, and once as a plain single-process crawl
(no Redis) for the cost of the shared frontier itself; each in a fresh archive folder, in alternating order over
``--runs``. pages/s = pages fetched (the crawl's own count) / wall time of the command, start-up included. Every
crawl must give the same number of articles.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from crawler.runs.demo import start_replica

REPO = Path(__file__).resolve().parents[1]
SETUPS = [("single process (no Redis)", None), ("1 worker", 1), ("2 workers", 2), ("4 workers", 4)]


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    executable = shutil.which("redis-server")
    if executable is None:
        raise SystemExit("redis-server is not installed (apt-get install -y redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([executable, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                                "--save", "", "--appendonly", "no"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    for line in process.stdout:
        if b"Ready to accept connections" in line:
            break
    else:
        raise SystemExit("redis-server did not start")
    threading.Thread(target=process.stdout.read, daemon=True).start()  # its log must not fill the pipe
    return process, f"redis://127.0.0.1:{port}/0"


def crawl(url: str, redis_url: str | None, workers: int | None, concurrency: int) -> tuple[int, int, float]:
    """One whole crawl of the replica: (pages fetched, articles, wall seconds)."""
    with tempfile.TemporaryDirectory() as archive:
        command = [sys.executable, "-m", "crawler", "crawl", "topwar", "--out", archive, "-a", f"start_urls={url}",
                   "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
                   "-s", f"CONCURRENT_REQUESTS={concurrency}", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}"]
        if workers is not None:
            command += ["--redis", str(redis_url), "--workers", str(workers)]
        started = time.monotonic()
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=3600)
        elapsed = time.monotonic() - started
        if done.returncode != 0:
            raise SystemExit(f"crawl failed ({' '.join(command[3:])}):\n{done.stdout}\n{done.stderr[-3000:]}")
        pages = int(re.search(r"pages fetched: +(\d+)", done.stdout)[1])
        articles = int(re.search(r"articles: +(\d+)", done.stdout)[1])
        return pages, articles, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="rounds of all four crawls (default 1)")
    parser.add_argument("--articles", type=int, default=1000, help="stories on the replica (default 1000)")
    parser.add_argument("--latency", type=float, default=100, help="ms each answer waits (default 100)")
    parser.add_argument("--concurrency", type=int, default=4, help="requests at a time per worker (default 4)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        redis_process, redis_url = start_redis(Path(folder))
        replica = start_replica(articles=args.articles, latency_ms=args.latency)
        results: dict[str, list[tuple[int, int, float]]] = {name: [] for name, _ in SETUPS}
        try:
            for run in range(args.runs):
                order = SETUPS if run % 2 == 0 else SETUPS[::-1]
                for name, workers in order:
                    results[name].append(crawl(replica.url, redis_url, workers, args.concurrency))
                    pages, articles, seconds = results[name][-1]
                    print(f"run {run + 1}: {name:<26} {pages} pages, {articles} articles in {seconds:.1f} s "
                          f"= {pages / seconds:.1f} pages/s", flush=True)
        finally:
            replica.stop()
            redis_process.terminate()
            redis_process.wait()
    if len({articles for runs in results.values() for _, articles, _ in runs}) != 1:
        raise SystemExit("the crawls did not all give the same number of articles")
    rates = {name: statistics.median(pages / seconds for pages, _, seconds in runs) for name, runs in results.items()}
    print(f"\nreplica: {args.articles} articles, {args.latency:g} ms latency; {args.concurrency} requests at a time "
          f"per worker; {os.cpu_count()} cores; median of {args.runs} run(s)")
    print(f"{'setup':<26} {'pages':>6} {'pages/s':>8} {'vs 1 worker':>12}")
    for name, _ in SETUPS:
        pages = results[name][-1][0]
        print(f"{name:<26} {pages:>6} {rates[name]:>8.1f} {rates[name] / rates['1 worker']:>12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
