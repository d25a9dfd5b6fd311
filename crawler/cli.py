"""The ``newsarchive`` command: a thin argparse layer over importable functions.

Each subcommand parses its arguments and calls one library function; the work
(and everything tests exercise) lives in those functions.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from crawler import __version__
from crawler.cliparser import OneLineParser
from crawler.replica import variant


_ARCHIVE_PATHS = ("WARC files (.warc, .warc.gz, .open), ARC files (.arc, .arc.gz), WACZ packages, folders holding "
                  "them, or globs")


def _port(text: str) -> int:
    port = int(text) if text.isdigit() else -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a TCP port is 0 to 65535, got {text!r}")
    return port


def _positive_int(text: str) -> int:
    number = int(text) if text.strip().isdigit() else 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, got {text!r}")
    return number


_SIZE_UNITS = {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}


def _size(text: str) -> int:
    """A size in bytes: ``268435456``, ``256M``, ``256MiB``, ``1.5G`` (K, M, G, T are powers of 1024)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*", text.upper())
    size = int(float(match.group(1)) * (1 << _SIZE_UNITS[match.group(2)])) if match else 0
    if size < 1:
        raise argparse.ArgumentTypeError(f"a size in bytes like 268435456, 256M or 1G, got {text!r}")
    return size


_RECORD_SIZE_HELP = ("a record whose block is bigger is counted and reported (exit status 1), not read: SIZE in bytes "
                     "or with K, M, G (default: 256M)")


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return key, value


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    """--quiet and --log-level of the commands that crawl."""
    parser.add_argument("--log-level", type=str.upper, choices=_LOG_LEVELS, metavar="LEVEL",
                        help="Scrapy's log level: DEBUG, INFO, WARNING, ERROR or CRITICAL (default: INFO; "
                        "WARNING while a progress line is shown on a terminal)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress line and only errors in the log; the summary is still printed")


def _output_settings(args: argparse.Namespace) -> dict[str, str]:
    """The settings --quiet and --log-level stand for (see crawler.components.progress)."""
    if args.quiet:
        return {"PROGRESS_MODE": "none", "LOG_LEVEL": args.log_level or "ERROR"}
    if args.log_level:
        return {"LOG_LEVEL": args.log_level}
    # A progress line on a terminal: INFO lines would scroll it away.
    return {"LOG_LEVEL": "WARNING"} if sys.stderr.isatty() else {}


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
    parser.add_argument("--now", type=_iso_time, metavar="TIME",
                        help="clock anchor the fresh stories are dated from (default: this minute)")
    parser.add_argument("--clock", type=_iso_time, metavar="TIME",
                        help="serve the site as it stands at this moment after the anchor (new stories, comments, "
                        "votes, a removal; ETag/304); move it later with /__replica__/clock?now=TIME")
    variant.add_arguments(parser)
    parser.set_defaults(run=_run_replica)


def _run_replica(args: argparse.Namespace) -> int:
    from crawler.replica.server import serve_forever

    if args.site == variant.WORDPRESS:
        from crawler.replica.wordpress.server import serve_forever as serve_wordpress

        if args.articles != 200 or args.now is not None or args.clock is not None \
                or variant.wordpress_options_given(args):
            print("newsarchive replica: error: --site wordpress takes --port and --seed only", file=sys.stderr)
            return 2
        return serve_wordpress(port=args.port, seed=args.seed)
    try:
        return serve_forever(port=args.port, seed=args.seed, articles=args.articles, now=args.now, clock=args.clock,
                             variant=variant.from_arguments(args))
    except ValueError as e:
        print(f"newsarchive replica: error: {e}", file=sys.stderr)
        return 2


def _add_crawl(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "crawl",
        help="crawl a site into WARC files and JSON Lines",
        description="Crawl with SPIDER into a new job folder {UTC date}-{spider} of the archive folder: "
        "WARC files of every HTTP exchange and items.jsonl, one article per line. "
        "Spiders: topwar (en.topwar.ru and other DLE sites via -a start_urls), urls (exactly the URLs given), "
        "news (any news site: discovers its articles from -a start_urls).",
        epilog="Exit status: 0 the crawl finished (item warnings are counted in the summary, not failures); "
        "1 the crawl had errors or stopped early (a full disk, ARCHIVE_MIN_FREE, a write error), or a crawl is "
        "running in the --resume job folder; 2 bad arguments (for --resume also: a folder that is no job of "
        "newsarchive crawl, a crawl that finished, another spider or other arguments).",
    )
    parser.add_argument("spider", help="spider name, e.g. topwar or urls")
    parser.add_argument("-a", dest="spider_args", metavar="NAME=VALUE", action="append", type=_key_value,
                        default=[], help="spider argument, e.g. -a start_urls=URL,URL -a max_articles=10 "
                        "-a since=2020-09-01 (repeatable)")
    parser.add_argument("-s", dest="settings", metavar="NAME=VALUE", action="append", type=_key_value,
                        default=[], help="Scrapy setting, e.g. -s WARC_ENABLED=False (repeatable)")
    parser.add_argument("--out", metavar="DIR",
                        help="archive folder that receives the job folder (default: archive)")
    parser.add_argument("--resume", metavar="JOB_DIR",
                        help="go on with the crawl of this job folder, cut short (killed, stopped, out of disk): "
                        "its unfinished files are closed out, what its WARC files hold is not fetched again, the "
                        "articles it has are not written again; same spider and arguments (-a may be left out)")
    parser.add_argument("--redis", metavar="URL", help="share the crawl through this Redis (e.g. "
                        "redis://127.0.0.1:6379/0) over --workers local processes and any 'newsarchive worker' "
                        "that joins it")
    parser.add_argument("--workers", metavar="N", help="local worker processes of a --redis crawl (default 1)")
    _add_output_options(parser)
    parser.set_defaults(run=_run_crawl)


def _run_crawl(args: argparse.Namespace) -> int:
    from crawler.runs.outcome import RunRefused

    if args.resume:
        if args.redis is not None or args.workers is not None:
            raise RunRefused("--resume resumes a crawl of one process: not with --redis or --workers")
        from crawler.resume.run import resume_crawl

        result = resume_crawl(args.resume, args.spider, spider_args=dict(args.spider_args), archive_dir=args.out,
                              settings={**_output_settings(args), **dict(args.settings)})
    elif args.redis is None:
        if args.workers is not None:
            raise RunRefused("--workers needs --redis: the workers of a crawl share it through Redis")
        from crawler.runs.crawl import run_crawl

        result = run_crawl(args.spider, spider_args=dict(args.spider_args), archive_dir=args.out or "archive",
                           settings={**_output_settings(args), **dict(args.settings)})
    else:
        from crawler.distributed.coordinator import run_distributed_crawl

        # The workers log to files of their own: only an explicit --quiet or --log-level sets their level.
        output = _output_settings(args) if args.quiet or args.log_level else {}
        result = run_distributed_crawl(args.spider, redis_url=args.redis,
                                       workers=_whole_number("--workers", args.workers),
                                       spider_args=dict(args.spider_args), archive_dir=args.out or "archive",
                                       settings={**output, **dict(args.settings)})
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
    parser.add_argument("--watch", action="store_true",
                        help="instead: keep the replica under watch for three simulated hours (its clock moved an "
                        "hour at a time), then export the score histories; well under a minute")
    _add_output_options(parser)
    parser.set_defaults(run=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    from crawler.runs.demo import run_demo

    if args.watch:
        from crawler.watch.demo import run_watch_demo

        return run_watch_demo(args.out)
    result = run_demo(args.out, max_articles=args.max_articles, settings=_output_settings(args))
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
    check.add_argument("paths", nargs="+", metavar="PATH", help=_ARCHIVE_PATHS)
    check.add_argument("--max-record-size", type=_size, metavar="SIZE", help=_RECORD_SIZE_HELP)
    check.set_defaults(run=_run_warc_check)
    index = actions.add_parser(
        "index", help="write a CDXJ index (cdxj-indexer)",
        description="Write the sorted CDXJ index of the WARC files, as pywb and other replay tools read it. "
        "Exit status 1 when a file could not be indexed to its end.",
    )
    index.add_argument("paths", nargs="+", metavar="PATH", help=_ARCHIVE_PATHS)
    index.add_argument("-o", "--output", metavar="FILE",
                       help="index file to write (default, or -: standard output)")
    index.set_defaults(run=_run_warc_index)


def _run_warc_check(args: argparse.Namespace) -> int:
    from crawler.warc.check import run_check
    from crawler.warc.sizes import RECORD_LIMIT

    return run_check(args.paths, record_limit=args.max_record_size or RECORD_LIMIT)


def _run_warc_index(args: argparse.Namespace) -> int:
    from crawler.domain.outputs import OutputError
    from crawler.runs.outcome import RunRefused
    from crawler.warc.index import run_index

    try:
        return run_index(args.paths, None if args.output == "-" else args.output)
    except OutputError as e:
        raise RunRefused(f"cannot write {args.output}: {e}") from e


def _add_reprocess(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "reprocess",
        help="turn saved WARCs into JSON Lines, offline",
        description="Run a spider over saved WARC files instead of the network: every capture the spider "
        "recognizes as a starting point (an article page; for 'urls', every HTML page) is processed, and "
        "the pages it asks for next (comment pages) are answered from the archive. Works on WARCs of "
        "other tools too, and on damaged ones: every unreadable part is reported with file and offset.",
        epilog="Exit status: 0 everything was readable; 1 some input was unreadable (a record over "
        "--max-record-size too), the crawl had errors or the output could not be written; 2 the run was refused "
        "(bad arguments, no WARC files); 130 interrupted by Ctrl-C (SIGINT), 143 by SIGTERM: nothing written.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=_ARCHIVE_PATHS)
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="JSON Lines file to write")
    parser.add_argument("--spider", help="spider to run (default: the one that wrote the WARCs, else the one "
                        "whose site profile claims the captured host, else urls)")
    parser.add_argument("--at", metavar="TIME", help="of several captures of a page, take the one closest to "
                        "this ISO 8601 time (e.g. 2026-11-25T10:00Z); default: the latest")
    parser.add_argument("--all-captures", action="store_true",
                        help="one line per article capture: every crawl in the archive on its own")
    parser.add_argument("--cdxj", metavar="FILE", help="read the capture index from this CDXJ file "
                        "(newsarchive warc index) instead of scanning the WARCs")
    parser.add_argument("--workers", type=_positive_int, metavar="N", help="worker processes (default: one per core)")
    parser.add_argument("--max-record-size", type=_size, metavar="SIZE", help=_RECORD_SIZE_HELP + "; replaying "
                        "a record takes a few times its size in memory")
    parser.set_defaults(run=_run_reprocess)


def _run_reprocess(args: argparse.Namespace) -> int:
    from crawler.reprocess import reprocess
    from crawler.runs.outcome import RunInterrupted
    from crawler.warc.sizes import RECORD_LIMIT

    try:
        result = reprocess(args.paths, output=args.output, spider=args.spider, at=args.at,
                           all_captures=args.all_captures, cdxj=args.cdxj, workers=args.workers,
                           record_limit=args.max_record_size or RECORD_LIMIT)
    except RunInterrupted as e:
        print(e.result.summary())
        return e.exit_status
    print(result.summary())
    return result.exit_status


def _iso_time(text: str):  # noqa: ANN202 (a datetime; imported late like every command's own modules)
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time like 2026-11-25T10:00Z: {text!r}") from e
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _add_watch(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "watch", help="keep sites under watch: scheduled, incremental crawls with comment revisits",
        description="Run the jobs of a crawl plan (TOML) at their cron slots: each run fetches the new articles "
        "and revisits the comments of articles due at the ages the plan gives; state and job folders stay in "
        "each job's archive folder. A plan is validated before anything runs.",
        epilog="Exit status: 0 done; 1 a run failed or was interrupted, or the job is running elsewhere; "
        "2 the plan or an argument was refused.",
    )
    actions = parser.add_subparsers(dest="watch_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="jobs, their last and next runs, what is due",
                                 description="Show each job of PLAN: last run, next run, articles due a revisit.")
    listing.add_argument("plan", metavar="PLAN", help="crawl plan (TOML)")
    listing.add_argument("--now", type=_iso_time, metavar="TIME", help="show what is due at this time instead of now")
    listing.set_defaults(run=_run_watch)
    run = actions.add_parser("run", help="the foreground scheduler (Ctrl-C or SIGTERM stop it cleanly)",
                             description="Run the jobs of PLAN at their cron slots until Ctrl-C or SIGTERM; a "
                             "run under way is stopped cleanly, marked interrupted and retried on the next start.")
    run.add_argument("plan", metavar="PLAN", help="crawl plan (TOML)")
    once = actions.add_parser("once", help="one run of one job, now",
                              description="Make one run of JOB now, whatever its schedule, and print its summary.")
    once.add_argument("plan", metavar="PLAN", help="crawl plan (TOML)")
    once.add_argument("job", metavar="JOB", help="job name in the plan")
    once.add_argument("--now", type=_iso_time, metavar="TIME",
                      help="decide what is due as if it were this time (replaying a schedule, tests, demos)")
    for sub in (run, once):
        backends = sub.add_mutually_exclusive_group()
        backends.add_argument("--scrapyd", metavar="URL", help="run the crawls on this scrapyd server (e.g. "
                              "http://127.0.0.1:6800) instead of as local processes; the project is deployed to "
                              "it first")
        backends.add_argument("--redis", metavar="URL", help="run each crawl over --workers local processes sharing "
                              "this Redis (e.g. redis://127.0.0.1:6379/0); 'newsarchive worker' on other machines "
                              "may join a run")
        sub.add_argument("--workers", metavar="N", help="local worker processes of each --redis crawl (default 1)")
        sub.set_defaults(run=_run_watch)


def _run_watch(args: argparse.Namespace) -> int:
    from crawler.watch import commands
    from crawler.watch.plans import load_plan

    plan = load_plan(args.plan)  # a refused plan (PlanError) is one line on stderr and exit status 2
    if args.watch_command == "once":
        plan.job(args.job)
    if args.watch_command == "list":
        return commands.list_jobs(plan, args.now)
    if args.workers is not None and args.redis is None:
        from crawler.runs.outcome import RunRefused

        raise RunRefused("--workers needs --redis: the workers of a crawl share it through Redis")
    backend = None
    if args.redis:
        from crawler.watch.backends.distributed import RedisBackend

        backend = RedisBackend.for_plan(plan, args.redis, _whole_number("--workers", args.workers))
    commands.configure_logging()
    if args.scrapyd:
        from crawler.watch.backends.scrapyd import ScrapydBackend

        backend = ScrapydBackend.deploy(args.scrapyd)
    if args.watch_command == "once":
        return commands.run_once(plan, args.job, backend=backend, now=args.now)
    return commands.run_forever(plan, backend=backend)


def _add_export(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export", help="every captured article line of an archive, or one merged line per article with score history",
        description="Read the job folders of ARCHIVE_DIR (their items.jsonl, or their WARCs with --from-warcs) and "
        "write JSON Lines: every captured line (filtered), or with --latest one line per article with its newest "
        "comments, each with score_history, first_seen and last_seen, and removed comments kept and marked.",
        epilog="Exit status: 0 written; 1 some input was unreadable; 2 bad arguments (refused before anything is "
        "written; the output may not lie in the archive folder); 130/143 interrupted by Ctrl-C/SIGTERM (the "
        "previous output left as it was).",
    )
    parser.add_argument("archive", metavar="ARCHIVE_DIR", help="archive folder holding job folders")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="JSON Lines file to write")
    parser.add_argument("--latest", action="store_true", help="one merged line per article, with score history")
    parser.add_argument("--since", type=_iso_time, metavar="DATE", help="captures at or after this time only")
    parser.add_argument("--until", type=_iso_time, metavar="DATE", help="captures before this time only")
    parser.add_argument("--site", metavar="HOST", help="articles of this site (its name or its URL's host) only")
    parser.add_argument("--from-warcs", action="store_true",
                        help="rebuild every capture from the WARCs (reprocessing) instead of reading items.jsonl")
    parser.set_defaults(run=_run_export)


def _run_export(args: argparse.Namespace) -> int:
    from crawler.runs.outcome import RunInterrupted
    from crawler.watch.export import export

    try:
        result = export(args.archive, args.output, latest=args.latest, since=args.since, until=args.until,
                        site=args.site, from_warcs=args.from_warcs)
    except RunInterrupted as e:
        print(e.result.interrupted_line(), file=sys.stderr)
        return e.exit_status
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


def _add_wacz(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "wacz", help="package a crawl's job folder as a WACZ file",
        description="Package a job folder as one WACZ file (with the wacz package): its WARC files, their "
        "CDXJ index, pages/pages.jsonl listing each article page (URL, title, capture time), items.jsonl as "
        "newsarchive/items.jsonl, and datapackage.json with every file's sha256 digest. Replay tools "
        "(ReplayWeb.page, pywb) open it; newsarchive reprocess reads it back into the same lines.",
        epilog="Exit status: 0 written; 1 the wacz tool failed; 2 bad arguments (nothing written).",
    )
    parser.add_argument("job_dir", metavar="JOB_DIR", help="the job folder of a crawl (archive/{date}-{name})")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="WACZ file to write")
    parser.add_argument("--title", help="the package's title (datapackage.json)")
    parser.set_defaults(run=_run_wacz)


def _run_wacz(args: argparse.Namespace) -> int:
    from crawler.wacz import write_wacz

    print(write_wacz(args.job_dir, args.output, title=args.title).summary())
    return 0


def _add_replay(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "replay", help="browse an archive in pywb on 127.0.0.1",
        description="Serve archives with pywb on 127.0.0.1 until Ctrl-C, printing the replay URL of the first "
        "article. pywb runs from a virtual environment of its own (its pinned dependencies would change this "
        "one's), created on first use in $NEWSARCHIVE_PYWB_VENV or ~/.cache/newsarchive/pywb-venv.",
        epilog="Exit status: 0 stopped with Ctrl-C; 1 pywb could not be installed or started, or nothing to "
        "replay; 2 bad arguments.",
    )
    parser.add_argument("paths", nargs="+", metavar="ARCHIVE",
                        help="an archive folder, a job folder, WARC/ARC files or a WACZ package")
    parser.add_argument("--port", type=_port, default=8090, help="TCP port on 127.0.0.1 (default 8090; 0: any free)")
    parser.add_argument("--pywb-venv", metavar="DIR", help="pywb's virtual environment (default: "
                        "$NEWSARCHIVE_PYWB_VENV, else ~/.cache/newsarchive/pywb-venv)")
    parser.set_defaults(run=_run_replay)


def _run_replay(args: argparse.Namespace) -> int:
    from pathlib import Path

    from crawler.replay import serve

    return serve(args.paths, port=args.port, venv=Path(args.pywb_venv) if args.pywb_venv else None)


def _add_report(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "report", help="write a crawl report: one HTML file with plots",
        description="Write one self-contained HTML file (inline SVG plots, no scripts, nothing fetched when "
        "opened) about job folders, archive folders or WACZ packages: pages fetched over time, status codes, "
        "bytes, articles and comments per day, comment scores and how they moved across captures, warnings "
        "by kind, the slowest pages.",
        epilog="Exit status: 0 written; 2 bad arguments or nothing to report (nothing written).",
    )
    parser.add_argument("paths", nargs="+", metavar="ARCHIVE", help="job folders, archive folders or WACZ packages")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="HTML file to write")
    parser.set_defaults(run=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    from crawler.report import write_report

    print(write_report(args.paths, args.output).summary())
    return 0


def build_parser() -> argparse.ArgumentParser:
    # Its subcommands' parsers are OneLineParsers too: argparse makes them of the parser's class.
    parser = OneLineParser(
        prog="newsarchive",
        description="Crawl news articles with all their comments into WARC files and normalized JSON Lines; "
        "check and index WARCs; reprocess saved WARCs offline; package, replay and report on crawls.",
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
    _add_watch(commands)
    _add_export(commands)
    _add_wacz(commands)
    _add_replay(commands)
    _add_report(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a run refused, unable to start or interrupted is one line on stderr and its exit status."""
    from crawler.runs.outcome import RunFailed, RunInterrupted, RunRefused

    args = build_parser().parse_args(argv)
    command = " ".join(filter(None, (args.command, getattr(args, "warc_command", None),
                                     getattr(args, "profile_command", None))))
    try:
        return args.run(args)
    except RunRefused as e:
        print(f"newsarchive {command}: error: {e}", file=sys.stderr)
        return e.exit_status
    except RunFailed as e:
        print(f"newsarchive {command}: {e}", file=sys.stderr)
        return e.exit_status
    except RunInterrupted as e:
        print(f"newsarchive {command}: {e}", file=sys.stderr)
        return e.exit_status


if __name__ == "__main__":
    sys.exit(main())
