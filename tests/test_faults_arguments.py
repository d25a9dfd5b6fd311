"""Bad arguments: one line on stderr, exit status 2, before anything is written (nor any page fetched).

Each command runs for real in a child process in an empty folder; the
folder's contents afterwards, and what the test server was asked for, say
whether anything happened before the refusal.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from faultkit import REPO, crawl_args, newsarchive
from hostile import hostile_server, page, respond, robots

import subprocess


@pytest.fixture
def site():
    with hostile_server({"/robots.txt": robots("User-agent: *\nAllow: /\n"), "/a.html": respond(page("a"))}) as server:
        yield server


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _refused(done: subprocess.CompletedProcess[str], command: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout[-2000:], done.stderr[-3000:])
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"newsarchive {command}: error: ")
    return line


def test_crawl_out_on_an_existing_file(site, tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n")
    done = newsarchive(*crawl_args([site.url + "/a.html"], tmp_path / "notes.txt"), cwd=tmp_path)
    line = _refused(done, "crawl")
    assert "notes.txt" in line
    assert (tmp_path / "notes.txt").read_text() == "mine\n"
    assert _files(tmp_path) == ["notes.txt"]
    assert site.requested == []


def test_crawl_out_that_cannot_be_made(site, tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n")
    done = newsarchive(*crawl_args([site.url + "/a.html"], tmp_path / "notes.txt" / "archive"), cwd=tmp_path)
    _refused(done, "crawl")
    assert _files(tmp_path) == ["notes.txt"]
    assert site.requested == []


@pytest.mark.skipif(sys.platform != "linux", reason="/proc is Linux's")
def test_crawl_out_where_nobody_may_write(site, tmp_path):
    # Not even root may make a folder in /proc.
    done = newsarchive(*crawl_args([site.url + "/a.html"], Path("/proc/newsarchive-archive")), cwd=tmp_path)
    _refused(done, "crawl")
    assert _files(tmp_path) == []
    assert site.requested == []


@pytest.mark.parametrize(("setting", "named"), [
    ("CONCURRENT_REQUESTS=abc", "CONCURRENT_REQUESTS"),
    ("DOWNLOAD_DELAY=soon", "DOWNLOAD_DELAY"),
    ("ROBOTSTXT_OBEY=maybe", "ROBOTSTXT_OBEY"),
    ('FEEDS={"broken json', "FEEDS"),
])
def test_crawl_setting_of_the_wrong_kind(site, tmp_path, setting, named):
    name, _, value = setting.partition("=")
    done = newsarchive(*crawl_args([site.url + "/a.html"], tmp_path / "archive", **{name: value}), cwd=tmp_path)
    line = _refused(done, "crawl")
    assert named in line
    assert _files(tmp_path) == [], "no job folder, no archive folder"
    assert site.requested == []


@pytest.mark.parametrize("workers", ["0", "-1", "two"])
def test_reprocess_workers_must_be_at_least_one(tmp_path, workers):
    (tmp_path / "in.warc").write_bytes(b"")
    done = newsarchive("reprocess", str(tmp_path / "in.warc"), "-o", str(tmp_path / "out.jsonl"),
                       "--workers", workers, cwd=tmp_path)
    assert done.returncode == 2
    assert "--workers" in done.stderr.strip().splitlines()[-1]
    assert _files(tmp_path) == ["in.warc"]


def test_demo_out_on_an_existing_file(tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n")
    done = newsarchive("demo", "--out", str(tmp_path / "notes.txt"), "--max-articles", "1", cwd=tmp_path)
    _refused(done, "demo")
    assert _files(tmp_path) == ["notes.txt"]


@pytest.mark.parametrize("setting", ["WARC_GZIP_LEVEL=11", "WARC_MAX_SIZE=big", "WARC_PREFIX=a/b"])
def test_plain_scrapy_crawl_with_a_bad_warc_setting_stops(site, tmp_path, setting):
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "urls", "-a", f"urls={site.url}/a.html", "-s", setting,
         "-s", f"ARCHIVE_DIR={tmp_path / 'archive'}", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert setting.partition("=")[0] in done.stderr
    assert site.requested == [], "nothing fetched that would not be archived"
