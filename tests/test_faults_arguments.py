"""Bad arguments: one line on stderr, exit status 2, before anything is written (nor any page fetched).

Each command runs for real in a child process in an empty folder; the
folder's contents afterwards, and what the test server was asked for, say
whether anything happened before the refusal.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from faultkit import REPO, command, crawl_args, newsarchive
from hostile import hostile_server, page, respond, robots

import subprocess

# Every command's parser refusing what it was given, before the command runs: (command line, what the one line
# says after "PROG: error: "). IN is an empty file in the test's folder, OUT a path in it that does not exist.
# A usage error is argparse's message and a pointer to --help, never its usage block.
PARSER_REFUSALS = [
    ([], "newsarchive", "the following arguments are required: COMMAND"),
    (["explode"], "newsarchive", "argument COMMAND: invalid choice: 'explode'"),
    (["--bogus", "demo"], "newsarchive", "unrecognized arguments: --bogus"),
    (["demo", "--bogus"], "newsarchive demo", "unrecognized arguments: --bogus"),
    (["demo", "--max-articles", "many"], "newsarchive demo", "argument --max-articles: invalid int value: 'many'"),
    (["crawl"], "newsarchive crawl", "the following arguments are required: spider"),
    (["crawl", "urls", "-a", "urls"], "newsarchive crawl", "argument -a: expected NAME=VALUE, got 'urls'"),
    (["crawl", "urls", "--log-level", "loud"], "newsarchive crawl", "argument --log-level: invalid choice: 'LOUD'"),
    (["crawl", "urls", "--out", "OUT", "--bogus"], "newsarchive crawl", "unrecognized arguments: --bogus"),
    (["worker"], "newsarchive worker", "the following arguments are required: --redis"),
    (["worker", "--redis", "redis://127.0.0.1:1/0", "--bogus"], "newsarchive worker",
     "unrecognized arguments: --bogus"),
    (["replica", "--port", "99999"], "newsarchive replica", "argument --port: a TCP port is 0 to 65535, got '99999'"),
    (["replica", "--site", "mars"], "newsarchive replica", "argument --site: invalid choice: 'mars'"),
    (["replica", "--now", "teatime"], "newsarchive replica", "argument --now: not an ISO 8601 time"),
    (["warc"], "newsarchive warc", "the following arguments are required: ACTION"),
    (["warc", "mend", "IN"], "newsarchive warc", "argument ACTION: invalid choice: 'mend'"),
    (["warc", "check"], "newsarchive warc check", "the following arguments are required: PATH"),
    (["warc", "check", "IN", "--max-record-size", "huge"], "newsarchive warc check",
     "argument --max-record-size: a size in bytes like 268435456, 256M or 1G, got 'huge'"),
    (["warc", "index", "IN", "-o", "OUT", "--sorted"], "newsarchive warc index", "unrecognized arguments: --sorted"),
    (["reprocess", "IN"], "newsarchive reprocess", "the following arguments are required: -o/--output"),
    (["reprocess", "IN", "-o", "OUT", "--workers", "0"], "newsarchive reprocess",
     "argument --workers: a whole number of at least 1, got '0'"),
    (["reprocess", "IN", "-o", "OUT", "--bogus"], "newsarchive reprocess", "unrecognized arguments: --bogus"),
    (["profile", "check"], "newsarchive profile check", "the following arguments are required: URL|FILE"),
    (["profile", "check", "IN", "--bogus"], "newsarchive profile check", "unrecognized arguments: --bogus"),
    (["profile", "lint", "IN"], "newsarchive profile", "argument ACTION: invalid choice: 'lint'"),
    (["watch", "list"], "newsarchive watch list", "the following arguments are required: PLAN"),
    (["watch", "list", "IN", "--now", "teatime"], "newsarchive watch list", "argument --now: not an ISO 8601 time"),
    (["watch", "once", "IN"], "newsarchive watch once", "the following arguments are required: JOB"),
    (["watch", "run", "IN", "--redis", "redis://127.0.0.1:1/0", "--scrapyd", "http://127.0.0.1:1"],
     "newsarchive watch run", "argument --scrapyd: not allowed with argument --redis"),
    (["watch", "run", "IN", "--bogus"], "newsarchive watch run", "unrecognized arguments: --bogus"),
    (["export", "IN"], "newsarchive export", "the following arguments are required: -o/--output"),
    (["export", "IN", "-o", "OUT", "--since", "yesterday"], "newsarchive export",
     "argument --since: not an ISO 8601 time"),
    (["wacz", "IN"], "newsarchive wacz", "the following arguments are required: -o/--output"),
    (["wacz", "IN", "-o", "OUT", "--bogus"], "newsarchive wacz", "unrecognized arguments: --bogus"),
    (["replay", "IN", "--port", "http"], "newsarchive replay", "argument --port: a TCP port is 0 to 65535, got 'http'"),
    (["replay"], "newsarchive replay", "the following arguments are required: ARCHIVE"),
    (["report", "IN"], "newsarchive report", "the following arguments are required: -o/--output"),
    (["report", "IN", "-o", "OUT", "--plots", "all"], "newsarchive report", "unrecognized arguments: --plots all"),
]


@pytest.mark.parametrize(("arguments", "prog", "message"), PARSER_REFUSALS,
                         ids=[" ".join(row[0]) or "(nothing)" for row in PARSER_REFUSALS])
def test_a_usage_error_is_one_line_and_exit_status_2(tmp_path, arguments, prog, message):
    (tmp_path / "in").write_bytes(b"")
    named = {"IN": str(tmp_path / "in"), "OUT": str(tmp_path / "out")}
    done = newsarchive(*[named.get(a, a) for a in arguments], cwd=tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.count("\n") == 1 and done.stderr.endswith("\n"), done.stderr
    assert done.stderr.startswith(f"{prog}: error: {message}"), done.stderr
    assert done.stderr.endswith(" (try --help)\n")
    assert done.stdout == ""
    assert _files(tmp_path) == ["in"]


@pytest.mark.parametrize(("arguments", "message"), [
    (["--port", "http"], "argument --port: invalid int value: 'http'"),
    (["--site", "mars"], "argument --site: invalid choice: 'mars'"),
    (["--latency", "slow"], "argument --latency: invalid float value: 'slow'"),
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["--site", "wordpress", "--theme", "dle14"], "--site wordpress takes --port and --seed only"),
])
def test_the_replica_refuses_in_one_line_too(tmp_path, arguments, message):
    done = subprocess.run([sys.executable, "-m", "crawler.replica", *arguments], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"python -m crawler.replica: error: {message}"), done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("arguments", [["--help"], ["reprocess", "--help"], ["watch", "once", "--help"]])
def test_help_is_still_the_whole_usage(arguments):
    done = subprocess.run(command(*arguments), cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("usage: newsarchive")
    assert "options:" in done.stdout and len(done.stdout.splitlines()) > 8


@pytest.fixture
def site():
    with hostile_server({"/robots.txt": robots("User-agent: *\nAllow: /\n"), "/a.html": respond(page("a"))}) as server:
        yield server


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _refused(done: subprocess.CompletedProcess[str], command: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout[-2000:], done.stderr[-3000:])
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    (line,) = done.stderr.splitlines()
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
    line = _refused(done, "reprocess")
    assert line.startswith("newsarchive reprocess: error: argument --workers: a whole number of at least 1")
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
