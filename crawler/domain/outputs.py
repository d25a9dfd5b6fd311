"""Outputs that never clobber inputs or earlier results: checked before the work, written whole or not at all.

Every command that writes a file asks :func:`check_output` before it starts
(is the output one of the inputs, or a file the same command would read as
input, inside an input folder?) and writes through :func:`atomic_output`: a
temporary name beside the output, renamed over it only when the writing
finished; an error or an interruption removes the temporary file and leaves
the previous output as it was.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


class OutputError(ValueError):
    """The output would destroy an input, or cannot be written at all. Nothing was written."""


def check_output(output: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]],
                 input_suffixes: tuple[str, ...] = ()) -> Path:
    """*output* as a Path, if writing it destroys no input and its folder can take it; else :class:`OutputError`
    (its message says why, to follow ``cannot write OUTPUT:``).

    Refused: an output that is one of *inputs* (by path, or the same file
    under another name), a folder, or a file inside an input folder whose name
    ends with one of *input_suffixes* (the command would read it as input
    next time, or now).
    """
    path = Path(output)
    for given in map(Path, inputs):
        if _same_file(path, given):
            raise OutputError("it is one of the inputs, and writing it would destroy it")
        if given.is_dir() and _inside(path, given) and path.name.endswith(input_suffixes):
            raise OutputError(f"it is inside the input folder {given} and would be read as input")
    if path.is_dir():
        raise OutputError("Is a directory")
    check_writable_folder(path.parent)
    return path


def check_writable_folder(folder: str | os.PathLike[str]) -> Path:
    """*folder*, created if missing, once a test file was written and removed in it; else :class:`OutputError`."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".newsarchive-probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except FileExistsError as e:
        raise OutputError(f"{folder} is a file, not a folder") from e
    except OSError as e:
        raise OutputError(f"{folder}: {e.strerror or e}") from e
    return folder


@contextmanager
def atomic_output(output: str | os.PathLike[str], mode: str = "wb", **open_args: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside *output* (its folder made if missing); on a clean exit flush it to disk
    and rename it to *output*.

    On an exception (KeyboardInterrupt included) the temporary file is
    removed and *output*, if it existed, is left untouched.
    """
    path = Path(output)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with temporary.open(mode, **open_args) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def file_identity(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """The device and inode of *path* (``None`` if it does not exist): compared before and after a run, they tell
    whether the run replaced its output or left the one that was there."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def write_json(output: str | os.PathLike[str], data: Any) -> None:
    """*data* as indented JSON in *output*, whole or not at all (:func:`atomic_output`); what JSON cannot hold
    (datetimes…) as text."""
    with atomic_output(output, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, default=str, indent=1, sort_keys=True) + "\n")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())
