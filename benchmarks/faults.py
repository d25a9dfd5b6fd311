"""The fault matrix in figures: each fault against real servers, and what came out of it.

``python benchmarks/faults.py`` runs every fault once and prints a table:

- **server faults**: a real ``newsarchive crawl urls`` of a hostile server
  (``tests/hostile.py``: raw sockets on 127.0.0.1) whose page misbehaves in
  one way, next to a well-behaved page;
- **process faults**: a real ``newsarchive crawl topwar`` of the replica,
  killed (SIGKILL of the crawl and its WARC writer, as a power cut), stopped
  (SIGTERM), with its WARC writer process killed, or on a 1 MiB tmpfs
  (needs root; the row says why it was skipped otherwise).

Columns: pages attempted (requests the server received, robots.txt aside);
articles out (lines in ``items.jsonl``); records in WARC (response and
revisit records readable, robots.txt aside); **lost**, which must be 0:
pages the server answered that no WARC record holds, listed URLs with no
line, lines cut or repeated, and WARC damage that ``warc check`` does not
name; the exit status. Rows that lose something say what below the table.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from faultkit import command, crawl_args, warc_records  # noqa: E402
from hostile import (  # noqa: E402
    Behaviour,
    bad_gzip,
    cut_short,
    gzip_bomb,
    hostile_server,
    never_answers,
    overlong,
    page,
    redirect,
    reset_mid_body,
    respond,
    robots,
    slow_body,
    status,
)

from crawler.runs.demo import replica_server  # noqa: E402

LONG = page("long", "A sentence of the long article. " * 400)
ALLOW = robots("User-agent: *\nAllow: /\n")


@dataclass
class Row:
    fault: str
    attempted: int | str = "-"
    articles: int | str = "-"
    records: int | str = "-"
    lost: int | str = "-"
    status: int | str = "-"
    notes: list[str] = field(default_factory=list)


def _nested(depth: int) -> bytes:
    return (b"<!doctype html><html><head><title>Deep</title></head><body>" + b"<div>" * depth + b"<p>deep text</p>"
            + b"</div>" * depth + b"</body></html>")


SERVER_FAULTS: dict[str, Callable[[object], dict[str, Behaviour]]] = {
    "slow body": lambda stop: {"/fault": slow_body(LONG, 50)},
    "reset mid-body": lambda stop: {"/fault": reset_mid_body(LONG, len(LONG) // 2)},
    "Content-Length too long": lambda stop: {"/fault": cut_short(LONG[: len(LONG) // 2], len(LONG))},
    "body longer than Content-Length": lambda stop: {"/fault": overlong(page("overlong"), b"<p>extra</p>" * 50)},
    "invalid gzip body": lambda stop: {"/fault": bad_gzip(page("bad gzip"))},
    "gzip bomb (1.5 GiB of zeros)": lambda stop: {"/fault": gzip_bomb(1536 << 20)},
    "redirect loop": lambda stop: {"/fault": redirect("/fault")},
    "503 with Retry-After": lambda stop: {"/fault": status("503 Service Unavailable", retry_after="1")},
    "503 without Retry-After": lambda stop: {"/fault": status("503 Service Unavailable")},
    "robots.txt 503": lambda stop: {"/robots.txt": status("503 Service Unavailable"),
                                    "/fault": respond(page("fault"))},
    "robots.txt cut off": lambda stop: {"/robots.txt": cut_short(b"User-agent: *\nDisallow: /fa", 300, "text/plain"),
                                        "/fault": respond(page("fault"))},
    "robots.txt never answers": lambda stop: {"/robots.txt": never_answers(stop), "/fault": respond(page("fault"))},
    "invalid UTF-8 bytes": lambda stop: {"/fault": respond(page("bytes").replace(b"hostile", b"hos\xff\xfe\xc3tile"))},
    "10,000 nested tags": lambda stop: {"/fault": respond(_nested(10_000))},
}
# What each server fault's page may leave unanswered without anything being lost.
REFUSED = {"robots.txt 503", "robots.txt cut off", "robots.txt never answers"}


def _jsonl(path: Path) -> tuple[list[dict], int]:
    """The whole lines of *path*, and how many lines are cut or repeated."""
    if not path.exists():
        return [], 0
    raw = path.read_bytes().splitlines(keepends=True)
    whole, bad = [], 0
    for line in raw:
        try:
            whole.append(json.loads(line)) if line.endswith(b"\n") else None
            bad += not line.endswith(b"\n")
        except ValueError:
            bad += 1
    bad += len(whole) - len({(line.get("id"), line.get("fetched_at")) for line in whole})
    return whole, bad


def _warc_pages(job: Path) -> tuple[set[str], int]:
    """URLs with a response or revisit record (robots.txt aside), and how many such records there are."""
    records = [r for r in warc_records(job) if r.type in ("response", "revisit") and not r.uri.endswith("/robots.txt")]
    return {r.uri for r in records}, len(records)


def _unnamed_damage(job: Path) -> int:
    """Damaged WARC files whose damage ``warc check`` does not name (a finished name on a cut file counts)."""
    files = sorted(job.glob("*.warc*"))
    if not files:
        return 0
    check = subprocess.run(command("warc", "check", *map(str, files)), capture_output=True, text=True)
    finished_but_bad = [f for f in files if not f.name.endswith(".open") and f.name in check.stdout
                        and ("cut off" in check.stdout or "unreadable" in check.stdout)]
    return len(finished_but_bad)


def server_fault(name: str, tmp: Path) -> Row:
    routes = {"/robots.txt": ALLOW, "/whole": respond(page("whole"))}
    with hostile_server(lambda stop: {**routes, **SERVER_FAULTS[name](stop)}) as server:
        urls = [server.url + "/whole", server.url + "/fault"]
        out = tmp / "out"
        done = subprocess.run(command(*crawl_args(urls, out, DOWNLOAD_TIMEOUT="3", ROBOTSTXT_RETRY_DELAYS="0.2")),
                              cwd=REPO, capture_output=True, text=True, timeout=600)
        requested = [path for path in server.requested if path != "/robots.txt"]
    row = Row(name, attempted=len(requested), status=done.returncode)
    jobs = [p for p in out.iterdir() if p.is_dir()] if out.exists() else []
    if not jobs:
        row.notes.append(f"no job folder: {done.stderr.strip().splitlines()[-1:]}")
        return row
    lines, bad = _jsonl(jobs[0] / "items.jsonl")
    archived, row.records = _warc_pages(jobs[0])
    answered = {server.url + path for path in requested} - ({server.url + "/fault"} if name in REFUSED else set())
    unarchived = sorted(answered - archived)
    no_line = sorted(set(urls) - {line.get("url") for line in lines} - {line["sources"][0]["url"] for line in lines
                                                                         if line.get("sources")})
    # A line that lost its link to a record the WARC holds; bytes dropped with nothing said.
    unlinked = [line["url"] for line in lines if not line.get("sources") and line.get("url") in archived]
    dropped = (name == "body longer than Content-Length"
               and not any("content-length" in w.lower() for line in lines for w in line.get("warnings", [])))
    row.articles = len(lines)
    row.lost = len(unarchived) + len(no_line) + bad + _unnamed_damage(jobs[0]) + len(unlinked) + dropped
    row.notes += [f"line without sources though its record is archived: {u.rsplit('/', 1)[1]}" for u in unlinked]
    row.notes += ["bytes past Content-Length dropped, nothing said"] if dropped else []
    row.notes += [f"answered, not archived: {u.rsplit('/', 1)[1]}" for u in unarchived]
    row.notes += [f"no line for {u}" for u in no_line]
    row.notes += [f"{bad} line(s) cut or repeated"] if bad else []
    warnings = [w for line in lines if line.get("url", "").endswith("/fault") for w in line.get("warnings", [])]
    row.notes += [f"warning: {w[:110]}" for w in warnings[:1]]
    return row


def _served(log: Path, before: int) -> set[str]:
    """Paths the replica answered with 2xx since line *before* of its access log (robots.txt aside)."""
    served = set()
    for line in log.read_text().splitlines()[before:]:
        parts = line.split('"')
        if len(parts) >= 4 and parts[4].split()[:1] and parts[4].split()[0].startswith("2"):
            path = parts[3].split(" ")[1]
            if path != "/robots.txt":
                served.add(path)
    return served


def _wait_lines(out: Path, count: int, process: subprocess.Popen) -> None:
    """Until the job's items.jsonl under *out* holds *count* lines, or the crawl ended."""
    while process.poll() is None:
        items = list(out.glob("*/items.jsonl"))
        if items and items[0].read_bytes().count(b"\n") >= count:
            return
        time.sleep(0.005)  # polling the crawl's output


def _children(pid: int) -> list[int]:
    return [int(c) for task in Path(f"/proc/{pid}/task").glob("*") for c in (task / "children").read_text().split()]


def process_fault(name: str, tmp: Path, out: Path | None = None) -> Row:
    out = out or tmp / "out"
    log = tmp / "access.log"
    with replica_server(log_path=log) as replica:
        before = len(log.read_text().splitlines())
        crawl = subprocess.Popen(command("crawl", "topwar", "-a", f"start_urls={replica.url}", "--out", str(out),
                                         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"), cwd=REPO,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        if name != "disk full (1 MiB tmpfs)":
            _wait_lines(out, 60, crawl)
            if name == "SIGKILL (crawl and writer)":
                os.killpg(crawl.pid, signal.SIGKILL)
            elif name == "SIGTERM":
                crawl.send_signal(signal.SIGTERM)
            elif name == "WARC writer killed":
                for child in _children(crawl.pid):
                    if b"crawler.warc.worker" in Path(f"/proc/{child}/cmdline").read_bytes():
                        os.kill(child, signal.SIGKILL)
        stdout, stderr = crawl.communicate(timeout=600)
        served = _served(log, before)
    row = Row(name, attempted=len(served), status=crawl.returncode)
    (job,) = [p for p in out.iterdir() if p.is_dir()]
    lines, bad = _jsonl(job / "items.jsonl")
    archived, row.records = _warc_pages(job)
    unarchived = sorted(path for path in served if replica.url.rstrip("/") + path not in archived)
    damage = _unnamed_damage(job)
    row.articles = len(lines)
    row.lost = len(unarchived) + bad + damage
    row.notes += [f"{len(unarchived)} page(s) served but in no WARC record"] if unarchived else []
    row.notes += [f"{bad} line(s) cut or repeated"] if bad else []
    row.notes += [f"{damage} WARC file(s) finished though damaged"] if damage else []
    summary = next((line for line in stdout.splitlines() if line.startswith("  articles:")), "")
    if summary and summary.split()[1].isdigit() and int(summary.split()[1]) != len(lines):
        row.notes.append(f"summary says {summary.split()[1]} articles, the file holds {len(lines)}")
    if name.startswith("SIGKILL"):
        resumed = subprocess.run(command("crawl", "topwar", "--resume", str(job)), capture_output=True, text=True)
        if resumed.returncode == 2:
            row.notes.append("no way to resume: " + (resumed.stderr.strip().splitlines() or ["?"])[-1][:90])
    return row


def disk_full(tmp: Path) -> Row:
    name = "disk full (1 MiB tmpfs)"
    if os.geteuid() != 0:
        return Row(name, notes=["skipped: mounting a tmpfs needs root"])
    disk = tmp / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True,
                             text=True)
    if mounted.returncode != 0:
        return Row(name, notes=[f"skipped: cannot mount a tmpfs: {mounted.stderr.strip()}"])
    try:
        return process_fault(name, tmp, disk / "archive")
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only the faults whose name contains this text")
    args = parser.parse_args()
    rows = []
    runs: list[tuple[str, Callable[[Path], Row]]] = [
        *((name, lambda tmp, name=name: server_fault(name, tmp)) for name in SERVER_FAULTS),
        *((name, lambda tmp, name=name: process_fault(name, tmp))
          for name in ("SIGKILL (crawl and writer)", "SIGTERM", "WARC writer killed")),
        ("disk full (1 MiB tmpfs)", disk_full),
    ]
    for name, run in runs:
        if args.only and args.only not in name:
            continue
        with tempfile.TemporaryDirectory(prefix="newsarchive-faults-") as tmp:
            print(f"… {name}", file=sys.stderr, flush=True)
            rows.append(run(Path(tmp)))
    header = ("fault", "pages attempted", "articles out", "records in WARC", "lost", "exit status")
    table = [header, *((r.fault, *map(str, (r.attempted, r.articles, r.records, r.lost, r.status))) for r in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in table[1:]:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |")
    print()
    for row in rows:
        for note in row.notes:
            print(f"- {row.fault}: {note}")
    return 0 if all(r.lost in (0, "-") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
