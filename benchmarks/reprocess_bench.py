"""How fast reprocessing is: articles/s for a live crawl, for reprocessing its WARCs, and for the floor, in one run.

    python benchmarks/reprocess_bench.py [--articles 1000] [--workers N]

Starts the bundled replica site with ``--articles`` stories on 127.0.0.1 and
crawls it live with the ``topwar`` spider (``newsarchive crawl``, politeness
delays off, WARC writing on as always); then reprocesses that crawl's WARCs
(``crawler.reprocess.reprocess``, in a fresh process like the command would
be) and checks the output equals the live JSON Lines; then runs the floor: a
bare loop that reads the same WARCs with fastwarc and parses each HTML body
with parsel (title only), nothing else. Each figure is the number of
articles the crawl wrote, divided by the wall time of that step (processes'
start-up included for the crawl and reprocessing; the floor runs in this
process). The aims: reprocessing faster than the live crawl, and at least
half the floor.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecordType
from parsel import Selector

REPO = Path(__file__).resolve().parents[1]
CRAWL_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
                  "LOG_LEVEL": "WARNING"}
REPROCESS = """
import sys
from crawler.reprocess import reprocess
result = reprocess([sys.argv[1]], output=sys.argv[2], workers=int(sys.argv[3]) or None, progress="none")
print(result.summary(), file=sys.stderr)
sys.exit(result.exit_status)
"""


def start_replica(articles: int) -> tuple[subprocess.Popen[bytes], str]:
    process = subprocess.Popen([sys.executable, "-m", "crawler.replica", "--port", "0", "--articles", str(articles)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    url = process.stdout.readline().decode().strip()
    if not url.startswith("http://127.0.0.1:"):
        process.kill()
        raise SystemExit(f"the replica did not start (printed {url!r})")
    return process, url


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=3600)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])}… failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return elapsed


def live_crawl(url: str, archive: Path) -> tuple[Path, float]:
    command = [sys.executable, "-m", "crawler", "crawl", "topwar", "-a", f"start_urls={url}", "--out", str(archive)]
    for name, value in CRAWL_SETTINGS.items():
        command += ["-s", f"{name}={value}"]
    elapsed = timed(command)
    (job,) = [path for path in archive.iterdir() if path.is_dir()]
    return job, elapsed


def floor(warcs: list[Path]) -> tuple[int, float]:
    """HTML pages parsed, and seconds taken, by a bare read-and-parse loop over *warcs*."""
    started = time.perf_counter()
    pages = 0
    for path in warcs:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh, record_types=WarcRecordType.response, parse_http=True):
                headers = record.http_headers
                if "html" not in (headers.get("Content-Type") or ""):
                    continue
                body = record.reader.read()
                if (headers.get("Transfer-Encoding") or "").lower() == "chunked":
                    body = _dechunk(body)
                if (headers.get("Content-Encoding") or "").lower() == "gzip":
                    body = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else zlib.decompress(body)
                Selector(text=body.decode("utf-8", "replace")).css("title::text").get()
                pages += 1
    return pages, time.perf_counter() - started


def _dechunk(data: bytes) -> bytes:
    body, position = bytearray(), 0
    while True:
        line_end = data.index(b"\r\n", position)
        size = int(data[position:line_end].split(b";")[0], 16)
        if size == 0:
            return bytes(body)
        body += data[line_end + 2 : line_end + 2 + size]
        position = line_end + 2 + size + 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="stories on the replica (default 1000)")
    parser.add_argument("--workers", type=int, default=0, help="reprocessing processes (default: one per core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch) / "archive"
        replica, url = start_replica(args.articles)
        try:
            job, live_seconds = live_crawl(url, archive)
        finally:
            replica.terminate()
            replica.wait(timeout=10)
        live_lines = (job / "items.jsonl").read_text(encoding="utf-8").splitlines()
        articles = len(live_lines)
        output = Path(scratch) / "reprocessed.jsonl"
        reprocess_seconds = timed([sys.executable, "-c", REPROCESS, str(job), str(output), str(args.workers)])
        same = {json.loads(line)["id"]: line for line in output.read_text(encoding="utf-8").splitlines()} == {
            json.loads(line)["id"]: line for line in live_lines}
        warcs = sorted(job.glob("*.warc.gz"))
        pages, floor_seconds = floor(warcs)
    live, again, bare = articles / live_seconds, articles / reprocess_seconds, articles / floor_seconds
    print(f"replica: {args.articles} stories; live crawl wrote {articles} articles; {os.cpu_count()} cores")
    print(f"live crawl:    {live_seconds:7.2f} s  {live:8.1f} articles/s")
    print(f"reprocess:     {reprocess_seconds:7.2f} s  {again:8.1f} articles/s  (same JSON Lines as live: "
          f"{'yes' if same else 'NO'})")
    print(f"floor:         {floor_seconds:7.2f} s  {bare:8.1f} articles/s  ({pages} HTML pages parsed)")
    print(f"reprocess / live: {again / live:.2f}   reprocess / floor: {again / bare:.2f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
