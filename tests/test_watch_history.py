"""How ``export --latest`` merges an article's captures (``crawler/watch/history.py``), table by table.

Every row is a handful of capture lines written by hand, oldest first, and the
merged comments expected of them, worked out from the README's rules ("Score
history: newsarchive export"): a point per capture that showed a comment
(likes and dislikes where shown), a 304 repeating the last point marked
``not_modified`` and extending ``last_seen``, removals only by complete
captures, removed comments kept where they stood. The last tests run
``newsarchive export`` on a small archive of such lines with ``--since`` and
``--until``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crawler.watch.history import is_complete, merge_captures

REPO = Path(__file__).resolve().parent.parent
T1, T2, T3, T4 = (f"2026-11-20T{hour}:00:05+00:00" for hour in ("09", "10", "15", "16"))


def comment(cid: str, score: int | None, **votes: int) -> dict[str, Any]:
    return {"id": cid, "parent_id": None, "depth": 0, "author": f"reader{cid}", "score": score,
            "text": f"comment {cid}", **votes}


def capture(when: str, *comments: dict[str, Any], declared: int | None = -1,
            warnings: tuple[str, ...] = (), title: str | None = "A story") -> dict[str, Any]:
    """An article line captured at *when*; *declared* -1: the page declares as many comments as were read."""
    return {"id": "en.topwar.ru:249502", "url": "http://en.topwar.ru/249502-a-story.html", "site": "en.topwar.ru",
            "title": title, "body": "Text." if title else None, "fetched_at": when,
            "comment_count_declared": len(comments) if declared == -1 else declared,
            "comments": list(comments), "warnings": list(warnings), "sources": [{"status": 200, "captured_at": when}]}


def not_modified(when: str) -> dict[str, Any]:
    """The line of a 304 answer (as ``crawler.watch.incremental.not_modified_article`` writes it)."""
    return {"id": "en.topwar.ru:249502", "url": "http://en.topwar.ru/249502-a-story.html", "canonical_url": None,
            "site": "en.topwar.ru", "title": None, "body": None, "comment_count_declared": None, "comments": [],
            "fetched_at": when, "warnings": [], "sources": [{"status": 304, "captured_at": when}],
            "not_modified": True}


def failed(when: str) -> dict[str, Any]:
    """The line of an article page that could not be fetched (``ProfileSpider._failed_article``)."""
    return {"id": "en.topwar.ru:249502", "url": "http://en.topwar.ru/249502-a-story.html", "canonical_url": None,
            "site": "en.topwar.ru", "title": None, "body": None, "comment_count_declared": None, "comments": [],
            "fetched_at": when, "warnings": ["article page could not be fetched: HTTP 503"],
            "sources": [{"status": 503, "captured_at": when}]}


def point(when: str, score: int, **extra: Any) -> dict[str, Any]:
    return {"captured_at": when, "score": score, **extra}


# Each row: the captures, then per comment (in the merged order): id, first_seen, last_seen, score_history,
# removed_after, missing_since.
CASES = {
    "a score per capture": (
        [capture(T1, comment("1", 3)), capture(T2, comment("1", 5)), capture(T3, comment("1", 4))],
        [("1", T1, T3, [point(T1, 3), point(T2, 5), point(T3, 4)], None, None)],
    ),
    "likes and dislikes with the score, where the page shows them": (
        [capture(T1, comment("1", 2, likes=3, dislikes=1)), capture(T2, comment("1", 3, likes=5, dislikes=2))],
        [("1", T1, T2, [point(T1, 2, likes=3, dislikes=1), point(T2, 3, likes=5, dislikes=2)], None, None)],
    ),
    "a comment posted between captures is first seen by the later one": (
        [capture(T1, comment("1", 0)), capture(T2, comment("1", 1), comment("2", 7))],
        [("1", T1, T2, [point(T1, 0), point(T2, 1)], None, None),
         ("2", T2, T2, [point(T2, 7)], None, None)],
    ),
    "a 304 repeats the last point, marked, and extends last_seen": (
        [capture(T1, comment("1", 2, likes=2, dislikes=0)), not_modified(T2)],
        [("1", T1, T2, [point(T1, 2, likes=2, dislikes=0),
                        point(T2, 2, likes=2, dislikes=0, not_modified=True)], None, None)],
    ),
    "a comment missing from a complete capture is kept, removed after the last capture that showed it": (
        [capture(T1, comment("1", 1), comment("2", 9)), capture(T2, comment("1", 1), comment("2", 8)),
         capture(T3, comment("1", 2))],
        [("1", T1, T3, [point(T1, 1), point(T2, 1), point(T3, 2)], None, None),
         ("2", T1, T2, [point(T1, 9), point(T2, 8)], T2, T3)],
    ),
    "an incomplete capture (a comment page not fetched) removes nothing": (
        [capture(T1, comment("1", 1), comment("2", 2), comment("3", 3)),
         capture(T2, comment("1", 4), declared=3, warnings=("comment page 2 could not be fetched: HTTP 503",))],
        [("1", T1, T2, [point(T1, 1), point(T2, 4)], None, None),
         ("2", T1, T1, [point(T1, 2)], None, None),
         ("3", T1, T1, [point(T1, 3)], None, None)],
    ),
    "a capture that declares no count but has a warning removes nothing": (
        [capture(T1, comment("1", 1), comment("2", 2)),
         capture(T2, comment("1", 1), declared=None, warnings=("comment page 2 could not be fetched: timeout",))],
        [("1", T1, T2, [point(T1, 1), point(T2, 1)], None, None),
         ("2", T1, T1, [point(T1, 2)], None, None)],
    ),
    "a 304 after a removal adds no point to the removed comment": (
        [capture(T1, comment("1", 1), comment("2", 2)), capture(T2, comment("1", 1)), not_modified(T3)],
        [("1", T1, T3, [point(T1, 1), point(T2, 1), point(T3, 1, not_modified=True)], None, None),
         ("2", T1, T1, [point(T1, 2)], T1, T2)],
    ),
    "a failed page neither removes comments nor adds points": (
        [capture(T1, comment("1", 1)), failed(T2)],
        [("1", T1, T1, [point(T1, 1)], None, None)],
    ),
    "a comment that comes back is no longer marked removed": (
        [capture(T1, comment("1", 1), comment("2", 2)), capture(T2, comment("1", 1)),
         capture(T3, comment("1", 1), comment("2", 5))],
        [("1", T1, T3, [point(T1, 1), point(T2, 1), point(T3, 1)], None, None),
         ("2", T1, T3, [point(T1, 2), point(T3, 5)], None, None)],
    ),
    "removed comments whose predecessor is gone too stay in their order": (
        [capture(T1, comment("a", 1), comment("b", 2), comment("c", 3), comment("d", 4)),
         capture(T2, comment("a", 1), comment("d", 4))],
        [("a", T1, T2, [point(T1, 1), point(T2, 1)], None, None),
         ("b", T1, T1, [point(T1, 2)], T1, T2),
         ("c", T1, T1, [point(T1, 3)], T1, T2),
         ("d", T1, T2, [point(T1, 4), point(T2, 4)], None, None)],
    ),
    "comments removed one capture apart go back in the order the page had them": (
        [capture(T1, comment("a", 1), comment("b", 2), comment("c", 3)),
         capture(T2, comment("a", 1), comment("c", 3)),
         capture(T3, comment("a", 1))],
        [("a", T1, T3, [point(T1, 1), point(T2, 1), point(T3, 1)], None, None),
         ("b", T1, T1, [point(T1, 2)], T1, T2),
         ("c", T1, T2, [point(T1, 3), point(T2, 3)], T2, T3)],
    ),
    "the first comment removed stays first": (
        [capture(T1, comment("a", 1), comment("b", 2)), capture(T2, comment("b", 2))],
        [("a", T1, T1, [point(T1, 1)], T1, T2),
         ("b", T1, T2, [point(T1, 2), point(T2, 2)], None, None)],
    ),
    "the newest capture's order wins for comments still there": (
        [capture(T1, comment("a", 1), comment("b", 2)), capture(T2, comment("b", 2), comment("a", 1))],
        [("b", T1, T2, [point(T1, 2), point(T2, 2)], None, None),
         ("a", T1, T2, [point(T1, 1), point(T2, 1)], None, None)],
    ),
}


@pytest.mark.parametrize(("captures", "expected"), list(CASES.values()), ids=list(CASES))
def test_merged_comments(captures, expected):
    merged = merge_captures(captures)
    got = [(c["id"], c["first_seen"], c["last_seen"], c["score_history"], c["removed_after"], c["missing_since"])
           for c in merged["comments"]]
    assert got == expected


def test_a_merged_comment_keeps_its_newest_fields():
    merged = merge_captures([capture(T1, {**comment("1", 1), "text": "first wording"}),
                             capture(T2, {**comment("1", 4), "text": "edited"})])
    (only,) = merged["comments"]
    assert (only["text"], only["score"], only["author"]) == ("edited", 4, "reader1")


@pytest.mark.parametrize(("captures", "content_from", "first_seen", "last_seen"), [
    ([capture(T1, title="Old title"), capture(T2, title="New title")], T2, T1, T2),
    ([capture(T1, title="Old title"), not_modified(T2)], T1, T1, T2),
    ([capture(T1, title="Old title"), failed(T2), not_modified(T3)], T1, T1, T3),
    ([failed(T1), capture(T2, title="New title"), failed(T3)], T2, T1, T3),
])
def test_the_article_comes_from_its_newest_capture_that_read_the_page(captures, content_from, first_seen, last_seen):
    merged = merge_captures(captures)
    source = next(line for line in captures if line["fetched_at"] == content_from)
    assert (merged["title"], merged["body"], merged["fetched_at"]) == (source["title"], "Text.", content_from)
    assert (merged["first_seen"], merged["last_seen"], merged["captures"]) == (first_seen, last_seen, len(captures))
    assert "not_modified" not in merged


@pytest.mark.parametrize(("line", "complete"), [
    (capture(T1, comment("1", 1), comment("2", 1)), True),
    (capture(T1, comment("1", 1), declared=2), False),
    (capture(T1, comment("1", 1), comment("2", 1), declared=None), True),
    (capture(T1, comment("1", 1), declared=None, warnings=("comment page 2 could not be fetched",)), False),
    (capture(T1, declared=None, title=None), False),
    (not_modified(T1), False),
    (failed(T1), False),
])
def test_which_captures_are_complete(line, complete):
    assert is_complete(line) is complete


# --- newsarchive export with --since and --until, on an archive of three job folders written by hand ---

ARCHIVE = {
    "2026-11-20-0900-topwar": [capture(T1, comment("1", 1)), {**capture(T1), "id": "en.topwar.ru:249418"}],
    "2026-11-20-1000-topwar": [capture(T2, comment("1", 2))],
    "2026-11-20-1500-topwar": [not_modified(T3), {**capture(T4), "id": "en.topwar.ru:249513"}],
}


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    for name, lines in ARCHIVE.items():
        (folder / name).mkdir(parents=True)
        (folder / name / "items.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    return folder


@pytest.mark.parametrize(("window", "expected"), [
    # Folder by folder, each by capture time (the same time: by id).
    ([], [("249418", T1), ("249502", T1), ("249502", T2), ("249502", T3), ("249513", T4)]),
    (["--until", "2026-11-20T10:00:05Z"], [("249418", T1), ("249502", T1)]),  # until: before, not at
    (["--until", "2026-11-20T13:01+03:00"], [("249418", T1), ("249502", T1), ("249502", T2)]),
    (["--since", "2026-11-20T10:00:05Z", "--until", "2026-11-20T16:00Z"], [("249502", T2), ("249502", T3)]),
    (["--since", "2026-11-20T10:00Z", "--until", "2026-11-20T10:00Z"], []),
    (["--until", "2026-11-20T09:00Z"], []),
])
def test_export_until_and_since(archive, tmp_path, window, expected):
    output = tmp_path / "dump.jsonl"
    done = subprocess.run([sys.executable, "-m", "crawler", "export", str(archive), "-o", str(output), *window],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"exported {len(expected)} lines from 5 captures in 3 job folders" in done.stdout
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert [(line["id"].split(":")[1], line["fetched_at"]) for line in lines] == expected


@pytest.mark.parametrize(("window", "story_captures", "history"), [
    (["--since", "2026-11-20T10:00Z", "--until", "2026-11-20T15:30Z"], 2,
     [point(T2, 2), point(T3, 2, not_modified=True)]),
    (["--until", "2026-11-20T15:00Z"], 2, [point(T1, 1), point(T2, 2)]),
])
def test_export_latest_merges_only_the_captures_in_the_window(archive, tmp_path, window, story_captures, history):
    output = tmp_path / "latest.jsonl"
    done = subprocess.run([sys.executable, "-m", "crawler", "export", str(archive), "-o", str(output), "--latest",
                           *window], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    by_id = {line["id"].split(":")[1]: line for line in map(json.loads, output.read_text().splitlines())}
    assert by_id["249502"]["captures"] == story_captures
    assert by_id["249502"]["comments"][0]["score_history"] == history
    assert "249513" not in by_id


def test_export_refuses_a_time_that_is_no_time(archive, tmp_path):
    done = subprocess.run([sys.executable, "-m", "crawler", "export", str(archive), "-o", str(tmp_path / "x.jsonl"),
                           "--until", "tomorrow"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 2
    assert "--until" in done.stderr and "not an ISO 8601 time" in done.stderr
    assert not (tmp_path / "x.jsonl").exists()
