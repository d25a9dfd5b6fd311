"""The ``newsarchive`` command's argument parser: argparse, with every refusal on one line.

House rule for bad arguments: one line on stderr, exit status 2, before
anything is written. argparse's own ``error()`` prints the whole usage block
first (five lines and more for a subcommand), and reports an unknown option
of a subcommand under the top-level program's name. ``--help`` is untouched.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from typing import NoReturn

# Set on the namespace by the innermost parser that was left arguments it does not know.
_UNRECOGNIZED_BY = "_unrecognized_by"


def one_line_error(prog: str, message: str) -> str:
    """``PROG: error: MESSAGE (try --help)`` with a line break, whatever line breaks MESSAGE holds."""
    flat = re.sub(r"\s*\n\s*", " ", message.strip())
    return f"{prog}: error: {flat} (try --help)\n"


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line; its subparsers (argparse makes them of the same class) too."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, one_line_error(self.prog, message))

    def parse_known_args(self, args: Sequence[str] | None = None,
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            # argparse hands a subcommand's unknown arguments up to the top parser, which would name itself.
            vars(namespace).setdefault(_UNRECOGNIZED_BY, self.prog)
        return namespace, extras

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        namespace, extras = self.parse_known_args(args, namespace)
        prog = vars(namespace).pop(_UNRECOGNIZED_BY, self.prog)
        if extras:
            self.exit(2, one_line_error(prog, f"unrecognized arguments: {' '.join(extras)}"))
        return namespace
