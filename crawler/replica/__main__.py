"""``python -m crawler.replica [--port N] [--seed N] [--now ISO] [--clock ISO] [--articles N] [variant options]``.

Serves the replica; ``--latency MS`` answers every request that much later (:mod:`crawler.replica.latency`). The variant options (``--site``, ``--theme``, ``--ratings``,
``--comments``, ``--deleted``, ``--charset``) are described in
:mod:`crawler.replica.variant`; ``--clock`` in :mod:`crawler.replica.timeline`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import NoReturn

from crawler.replica.content import MAX_STORY_COUNT, STORY_COUNT
from crawler.replica.server import serve_forever
from crawler.replica.variant import WORDPRESS, add_arguments, from_arguments, wordpress_options_given


def _aware_datetime(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date and time: {text!r}") from e
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give a UTC offset, e.g. {text}+03:00")
    return value


class _Parser(argparse.ArgumentParser):
    """Bad arguments are one line on stderr and exit status 2, as everywhere in the project (argparse would print
    its usage block first). The replica's own: it shares no code with the crawler."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())} (try --help)\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(
        prog="python -m crawler.replica",
        description="Serve the bundled replica of a DataLife-Engine news site on 127.0.0.1, printing its URL.",
    )
    parser.add_argument("--port", type=int, default=8080, help="TCP port (0 picks a free one; default 8080)")
    parser.add_argument("--seed", type=int, default=None, help="content seed (default: the bundled one)")
    parser.add_argument(
        "--now",
        type=_aware_datetime,
        default=None,
        help="clock anchor that fresh stories are dated from (default: when the server starts)",
    )
    parser.add_argument(
        "--clock",
        type=_aware_datetime,
        default=None,
        metavar="ISO",
        help="serve the site as it stands at this later moment: stories, comments, votes and removals since the "
        "anchor, ETag/Last-Modified and 304 answers; move it later with /__replica__/clock?now=ISO",
    )
    parser.add_argument(
        "--articles",
        type=int,
        default=STORY_COUNT,
        metavar="N",
        help=f"stories on the main listing, the fixed ones included (default {STORY_COUNT}, at most {MAX_STORY_COUNT})",
    )
    parser.add_argument("--latency", type=float, default=0.0, metavar="MS",
                        help="answer every request this many milliseconds late, as a distant server would (default 0)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.site == WORDPRESS:
        if args.now is not None or args.clock is not None or args.articles != STORY_COUNT \
                or wordpress_options_given(args):
            parser.error("--site wordpress takes --port and --seed only")
        from crawler.replica.wordpress.server import serve_forever as serve_wordpress

        return serve_wordpress(port=args.port, seed=args.seed)
    try:
        return serve_forever(port=args.port, seed=args.seed, now=args.now, articles=args.articles,
                             variant=from_arguments(args), clock=args.clock,  # fmt: skip
                             latency=args.latency / 1000)
    except ValueError as e:
        parser.error(str(e))


if __name__ == "__main__":
    sys.exit(main())
