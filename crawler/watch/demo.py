"""``newsarchive demo --watch``: a watch over three replica "hours", in well under a minute.

The replica starts anchored at this minute; the demo moves its clock an hour
at a time (``/__replica__/clock``) and ticks the scheduler at the same
simulated moments, so each hourly slot sees the site as it is by then: new
stories, new comments, moved scores, a removed comment. It watches the
stories of the last four days with revisits at 1h, 6h and 1d, prints each
run's summary, then exports the watch with ``--latest`` and shows one
comment's score history.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TextIO

from crawler.domain.layout import create_job
from crawler.runs.demo import replica_server
from crawler.watch.export import export
from crawler.watch.plans import parse_plan
from crawler.watch.scheduler import Scheduler

HOURS = 3


def run_watch_demo(out: str | Path = "archive", hours: int = HOURS, stream: TextIO = sys.stdout) -> int:
    """Run the demo into a new folder of *out*; return 0 when every run finished."""
    anchor = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    archive = create_job(out, "demo-watch", datetime.now(timezone.utc)).dir
    status = 0
    with replica_server(now=anchor) as replica:
        plan = parse_plan(Path("demo-watch.toml"), {"jobs": {"replica": {
            "spider": "topwar", "cron": "0 * * * *", "output": str(archive),
            "args": {"start_urls": replica.url, "since": (anchor - timedelta(days=4)).date().isoformat()},
            "settings": {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 16},
            "revisit": {"ages": ["1h", "6h", "1d"]},
        }}})
        scheduler = Scheduler(plan)
        try:
            for hour in range(hours + 1):
                moment = anchor + timedelta(hours=hour)
                _move_clock(replica.url, moment)
                print(f"replica hour {hour}: the site as at {moment:%Y-%m-%d %H:%M} UTC", file=stream)
                for outcome in scheduler.tick(moment):
                    print(f"  {outcome.summary}", file=stream)
                    status = status or int(outcome.run.status != "finished")
        finally:
            scheduler.close()
    # Beside the archive, not in it: an export never writes into the archive it reads.
    output = archive.with_name(f"{archive.name}-latest.jsonl")
    result = export(archive, output, latest=True)
    print(result.summary(), file=stream)
    _show_history(output, stream)
    return status


def _move_clock(url: str, moment: datetime) -> None:
    query = moment.isoformat().replace("+", "%2B")
    with urllib.request.urlopen(f"{url}__replica__/clock?now={query}", timeout=30) as answer:
        answer.read()


def _show_history(path: Path, stream: TextIO) -> None:
    """The comment with the longest score history, as researchers get it."""
    best = None
    for line in path.read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        for comment in article["comments"]:
            if best is None or len(comment["score_history"]) > len(best[1]["score_history"]):
                best = (article["id"], comment)
    if best is None:
        return
    article_id, comment = best
    points = ", ".join(f"{p['captured_at'][11:19]}Z → {p['score']}" for p in comment["score_history"])
    print(f"score history of comment {comment['id']} on {article_id}: {points}", file=stream)
    removed = [c["id"] for a in map(json.loads, path.read_text(encoding="utf-8").splitlines())
               for c in a["comments"] if c["removed_after"]]
    if removed:
        print(f"removed between captures (kept, marked removed_after): {', '.join(removed)}", file=stream)
