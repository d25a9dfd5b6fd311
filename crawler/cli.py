"""The ``newsarchive`` command: a thin argparse layer over importable functions.

Each subcommand parses its arguments and calls one library function; the work
(and everything tests exercise) lives in those functions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from crawler import __version__


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
    parser.add_argument("--port", type=int, default=8080, help="TCP port (0 picks a free one; default 8080)")
    parser.add_argument("--seed", type=int, default=None, help="content seed (default: the bundled one)")
    parser.set_defaults(run=_run_replica)


def _run_replica(args: argparse.Namespace) -> int:
    from crawler.replica.server import serve_forever

    return serve_forever(port=args.port, seed=args.seed)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Crawl news articles with all their comments into WARC files and normalized JSON Lines; "
        "check and index WARCs; reprocess saved WARCs offline.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_replica(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
