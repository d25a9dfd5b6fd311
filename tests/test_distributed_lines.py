"""The coordinator's side of a distributed crawl: one writer of items.jsonl, and the workers' stats merged."""

from __future__ import annotations

import json

import pytest

from crawler.distributed.crawljob import CrawlKeys
from crawler.distributed.lines import LineWriter
from crawler.distributed.stats import merge_stats, publish_stats, read_stats

KEYS = CrawlKeys("2026-11-25-test")


def line(article_id: str, comments: int = 0, warnings: tuple[str, ...] = ()) -> bytes:
    return json.dumps({"id": article_id, "comments": [{"id": str(n)} for n in range(comments)],
                       "warnings": list(warnings)}).encode() + b"\n"


@pytest.mark.parametrize(("line_key", "pushed", "written"), [
    # (origin, id) pairs pushed by workers -> the ids written, in order
    ("id", [("a1", "x:1"), ("a2", "x:2")], ["x:1", "x:2"]),
    ("id", [("a1", "x:1"), ("a1", "x:1")], ["x:1"]),  # a request run again after its worker died
    ("id", [("a1", "x:1"), ("b7", "x:1")], ["x:1"]),  # one article reached under two URLs by two workers
    (None, [("a1", "h:/p"), ("b7", "h:/p")], ["h:/p", "h:/p"]),  # urls: two listed URLs, one page, two lines
    (None, [("a1", "h:/p"), ("a1", "h:/p")], ["h:/p"]),
    ("id", [("-", "x:1"), ("-", "x:2")], ["x:1", "x:2"]),  # lines from start(): no origin
])
def test_a_line_is_written_once(tmp_path, fresh_redis, line_key, pushed, written):
    server = fresh_redis.client()
    writer = LineWriter(server, KEYS, tmp_path / "items.jsonl", line_key)
    for origin, article_id in pushed:
        server.rpush(KEYS.lines, origin.encode() + b" " + line(article_id))
    writer.drain_all()
    writer.close()
    assert [json.loads(text)["id"] for text in (tmp_path / "items.jsonl").read_text().splitlines()] == written
    assert writer.counts.duplicates == len(pushed) - len(written)
    assert server.llen(KEYS.lines) == server.llen(KEYS.lines_writing) == 0


def test_lines_a_dead_writer_had_taken_are_written_first(tmp_path, fresh_redis):
    server = fresh_redis.client()
    server.rpush(KEYS.lines_writing, b"a1 " + line("x:1"))
    server.rpush(KEYS.lines, b"a2 " + line("x:2"))
    writer = LineWriter(server, KEYS, tmp_path / "items.jsonl", "id")
    writer.drain_all()
    writer.close()
    assert [json.loads(text)["id"] for text in (tmp_path / "items.jsonl").read_text().splitlines()] == ["x:1", "x:2"]


def test_the_counts_are_those_of_the_lines_written(tmp_path, fresh_redis):
    server = fresh_redis.client()
    writer = LineWriter(server, KEYS, tmp_path / "items.jsonl", "id")
    for origin, text in [(b"a1", line("x:1", 3)), (b"a2", line("x:2", 0, ("no title", "no date"))),
                         (b"a3", line("x:2", 5))]:
        server.rpush(KEYS.lines, origin + b" " + text)
    writer.drain_all()
    writer.close()
    assert writer.counts.as_stats() == {
        "newsarchive/articles": 2, "newsarchive/comments": 3, "newsarchive/warnings": 2,
        "newsarchive/articles_with_warnings": 1, "distributed/duplicate_lines_dropped": 1,
    }


def test_worker_stats_are_merged_by_kind(fresh_redis):
    server = fresh_redis.client()
    publish_stats(server, KEYS, "w1", {
        "downloader/response_count": 120, "log_count/ERROR": 1, "elapsed_time_seconds": 10.5,
        "start_time": "2026-11-25T03:25:47+00:00", "finish_reason": "finished", "memusage/max": 100,
        "newsarchive/markup_changed": ["no body"], "distributed/worker": "w1"})
    publish_stats(server, KEYS, "w2", {
        "downloader/response_count": 80, "elapsed_time_seconds": 12.0, "start_time": "2026-11-25T03:25:46+00:00",
        "finish_reason": "shutdown", "memusage/max": 150, "newsarchive/markup_changed": ["no body", "no date"],
        "distributed/worker": "w2"})
    assert merge_stats(read_stats(server, KEYS)) == {
        "downloader/response_count": 200, "log_count/ERROR": 1, "elapsed_time_seconds": 12.0,
        "start_time": "2026-11-25T03:25:46+00:00", "memusage/max": 150,
        "newsarchive/markup_changed": ["no body", "no date"],
    }
