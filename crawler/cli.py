"""The ``newsarchive`` command: a thin argparse layer over importable functions.

Each subcommand parses its arguments and calls one library function; the work
(and everything tests exercise) lives in those functions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from crawler import __version__


def _port(text: str) -> int:
    port = int(text) if text.isdigit() else -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a TCP port is 0 to 65535, got {text!r}")
    return port


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return key, value


def _add_replica(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "replica",
        help="serve the bundled replica news site on 127.0.0.1",
        description="Serve the bundled replica of a DataLife-Engine news site (en.topwar.ru style) "
        "on 127.0.0.1 in the foreground, printing its URL; stop with Ctrl-C.",
    )
    parser.add_argument("--port", type=_port, default=8080, help="TCP port (0 picks a free one; default 8080)")
    parser.add_argument("--seed", type=int, default=None, help="content seed (default: the bundled one)")
    parser.add_argument("--articles", type=int, default=200, metavar="N",
                        help="stories on the main listing, the fixed ones included (default 200, at most 10000)")
    parser.set_defaults(run=_run_replica)


def _run_replica(args: argparse.Namespace) -> int:
    from crawler.replica.server import serve_forever

    try:
        return serve_forever(port=args.port, seed=args.seed, articles=args.articles)
    except ValueError as e:
        print(f"newsarchive replica: error: {e}", file=sys.stderr)
        return 2


def _add_crawl(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "crawl",
        help="crawl a site into WARC files and JSON Lines",
        description="Crawl with SPIDER into a new job folder {UTC date}-{spider} of the archive folder: "
        "WARC files of every HTTP exchange and items.jsonl, one article per line. "
        "Spiders: topwar (en.topwar.ru and other DLE sites via -a start_urls), urls (exactly the URLs given).",
        epilog="Exit status: 0 the crawl finished (item warnings are counted in the summary, not failures); "
        "1 the crawl had errors; 2 bad arguments.",
    )
    parser.add_argument("spider", help="spider name, e.g. topwar or urls")
    parser.add_argument("-a", dest="spider_args", metavar="NAME=VALUE", action="append", type=_key_value,
                        default=[], help="spider argument, e.g. -a start_urls=URL,URL -a max_articles=10 "
                        "-a since=2020-09-01 (repeatable)")
    parser.add_argument("-s", dest="settings", metavar="NAME=VALUE", action="append", type=_key_value,
                        default=[], help="Scrapy setting, e.g. -s WARC_ENABLED=False (repeatable)")
    parser.add_argument("--out", default="archive", metavar="DIR",
                        help="archive folder that receives the job folder (default: archive)")
    parser.add_argument("--redis", metavar="URL", help="share the crawl through this Redis (e.g. "
                        "redis://127.0.0.1:6379/0) over --workers local processes and any 'newsarchive worker' "
                        "that joins it")
    parser.add_argument("--workers", metavar="N", help="local worker processes of a --redis crawl (default 1)")
    parser.set_defaults(run=_run_crawl)


def _run_crawl(args: argparse.Namespace) -> int:
    from crawler.runs.outcome import RunRefused

    if args.redis is None:
        if args.workers is not None:
            raise RunRefused("--workers needs --redis: the workers of a crawl share it through Redis")
        from crawler.runs.crawl import run_crawl

        result = run_crawl(args.spider, spider_args=dict(args.spider_args), archive_dir=args.out,
                           settings=dict(args.settings))
    else:
        from crawler.distributed.coordinator import run_distributed_crawl

        result = run_distributed_crawl(args.spider, redis_url=args.redis,
                                       workers=_whole_number("--workers", args.workers),
                                       spider_args=dict(args.spider_args), archive_dir=args.out,
                                       settings=dict(args.settings))
    print(result.summary())
    return result.exit_status


def _whole_number(option: str, text: str | None, default: int = 1) -> int:
    from crawler.runs.outcome import RunRefused

    if text is None:
        return default
    try:
        return int(text)
    except ValueError as e:
        raise RunRefused(f"{option} must be a whole number, got {text!r}") from e


def _add_worker(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "worker",
        help="join a crawl shared through Redis (from this or another machine)",
        description="Join a crawl started with 'newsarchive crawl SPIDER --redis URL': the spider, its arguments "
        "and settings come from Redis; this worker fetches from the shared queue and writes its own WARC files "
        "(its worker id in their names) into the crawl's job folder under --out. Ends when the crawl is finished.",
        epilog="Exit status: 0 this worker's part ran cleanly; 1 it had errors; 2 bad arguments (no Redis at URL, "
        "no crawl to join).",
    )
    parser.add_argument("--redis", required=True, metavar="URL", help="the crawl's Redis, e.g. redis://host:6379/0")
    parser.add_argument("--job", metavar="ID", help="the crawl to join (default: the only one open)")
    parser.add_argument("--out", metavar="DIR", help="archive folder on this machine (default: the coordinator's)")
    parser.add_argument("--worker-id", help=argparse.SUPPRESS)
    parser.set_defaults(run=_run_worker)


def _run_worker(args: argparse.Namespace) -> int:
    from crawler.distributed.worker import run_worker

    result = run_worker(args.redis, job_id=args.job, archive_dir=args.out, worker_id=args.worker_id)
    print(result.summary())
    return result.exit_status


def _add_demo(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "demo",
        help="serve the bundled replica site on 127.0.0.1 and crawl it",
        description="Start the bundled replica news site on 127.0.0.1, crawl all of it with the topwar "
        "spider (articles, every comment page, WARC files) into the archive folder, and stop the site. "
        "Needs no network.",
    )
    parser.add_argument("--out", default="archive", metavar="DIR",
                        help="archive folder that receives the job folder {date}-demo (default: archive)")
    parser.add_argument("--max-articles", type=int, default=None, metavar="N",
                        help="stop after N articles (default: all of them)")
    parser.set_defaults(run=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    from crawler.runs.demo import run_demo

    result = run_demo(args.out, max_articles=args.max_articles)
    print(result.summary())
    return result.exit_status


def _add_warc(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("warc", help="check or index WARC files",
                                 description="Check or index WARC files (ours or any other tool's).")
    actions = parser.add_subparsers(dest="warc_command", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check", help="verify record structure and digests",
        description="Verify each record's framing and its block and payload digests; name unfinished "
        "(.open) files and report a truncated tail, a cut gzip member or a wrong Content-Length with file "
        "and offset. Exit status 0 when everything verifies, 1 otherwise.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="WARC files or folders holding them")
    check.set_defaults(run=_run_warc_check)
    index = actions.add_parser(
        "index", help="write a CDXJ index (cdxj-indexer)",
        description="Write the sorted CDXJ index of the WARC files, as pywb and other replay tools read it. "
        "Exit status 1 when a file could not be indexed to its end.",
    )
    index.add_argument("paths", nargs="+", metavar="PATH", help="WARC files or folders holding them")
    index.add_argument("-o", "--output", metavar="FILE", help="index file to write (default: standard output)")
    index.set_defaults(run=_run_warc_index)


def _run_warc_check(args: argparse.Namespace) -> int:
    from crawler.warc.check import run_check

    return run_check(args.paths)


def _run_warc_index(args: argparse.Namespace) -> int:
    from crawler.warc.index import run_index

    return run_index(args.paths, args.output)


def _add_reprocess(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "reprocess",
        help="turn saved WARCs into JSON Lines, offline",
        description="Run a spider over saved WARC files instead of the network: every capture the spider "
        "recognizes as a starting point (an article page; for 'urls', every HTML page) is processed, and "
        "the pages it asks for next (comment pages) are answered from the archive. Works on WARCs of "
        "other tools too, and on damaged ones: every unreadable part is reported with file and offset.",
        epilog="Exit status: 0 everything was readable; 1 some input was unreadable or the crawl had "
        "errors; 2 the run was refused (bad arguments, no WARC files).",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="WARC files (.warc, .warc.gz, .warc.gz.open), folders holding them, or globs")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="JSON Lines file to write")
    parser.add_argument("--spider", help="spider to run (default: the one that wrote the WARCs, else the one "
                        "whose site profile claims the captured host, else urls)")
    parser.add_argument("--at", metavar="TIME", help="of several captures of a page, take the one closest to "
                        "this ISO 8601 time (e.g. 2026-11-25T10:00Z); default: the latest")
    parser.add_argument("--all-captures", action="store_true",
                        help="one line per article capture: every crawl in the archive on its own")
    parser.add_argument("--cdxj", metavar="FILE", help="read the capture index from this CDXJ file "
                        "(newsarchive warc index) instead of scanning the WARCs")
    parser.add_argument("--workers", type=int, metavar="N", help="worker processes (default: one per core)")
    parser.set_defaults(run=_run_reprocess)


def _run_reprocess(args: argparse.Namespace) -> int:
    from crawler.reprocess import reprocess

    result = reprocess(args.paths, output=args.output, spider=args.spider, at=args.at,
                       all_captures=args.all_captures, cdxj=args.cdxj, workers=args.workers)
    print(result.summary())
    return result.exit_status


def _add_profile(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("profile", help="check what a site profile reads on pages",
                                 description="Site profiles: what they read, field by field.")
    actions = parser.add_subparsers(dest="profile_command", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check", help="run a profile on saved pages, WARC files or live URLs",
        description="Run a site profile's page classes on saved pages (HTML, or a comment page's JSON), on every "
        "HTML capture of WARC files, or on live URLs, and print per field what was found and by which selector, "
        "or every selector tried. The tool to run when a site is redesigned.",
        epilog="Exit status: 0 every page gave every field its site's pages should; 1 some page lacked one; "
        "2 bad arguments.",
    )
    check.add_argument("inputs", nargs="+", metavar="URL|FILE", help="http(s) URLs, saved pages or WARC files")
    check.add_argument("--profile", help="site profile to use (default: the one claiming the page's host, else topwar)")
    check.add_argument("--url", help="the URL a saved page was served from (its path tells an article from a "
                       "listing; default: the file's name)")
    check.set_defaults(run=_run_profile_check)


def _run_profile_check(args: argparse.Namespace) -> int:
    from crawler.profilecheck import run_profile_check

    return run_profile_check(args.inputs, profile=args.profile, url=args.url)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Crawl news articles with all their comments into WARC files and normalized JSON Lines; "
        "check and index WARCs; reprocess saved WARCs offline.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_demo(commands)
    _add_crawl(commands)
    _add_worker(commands)
    _add_replica(commands)
    _add_warc(commands)
    _add_reprocess(commands)
    _add_profile(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a run refused or unable to start is one line on stderr and its exit status."""
    from crawler.runs.outcome import RunFailed, RunRefused

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except RunRefused as e:
        print(f"newsarchive {args.command}: error: {e}", file=sys.stderr)
        return e.exit_status
    except RunFailed as e:
        print(f"newsarchive {args.command}: {e}", file=sys.stderr)
        return e.exit_status


if __name__ == "__main__":
    sys.exit(main())
