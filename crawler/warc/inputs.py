"""What the archive commands read: WARC and ARC files, and the WARC files and index inside WACZ packages.

``reprocess``, ``warc check`` and ``warc index`` take files, folders and
glob patterns (:func:`crawler.warc.reader.warc_paths`). A WACZ package (a
ZIP, told by its bytes, whatever its name) is opened here: the WARC (or ARC)
files under its ``archive/`` folder are copied out into a temporary folder
for as long as the command runs (the readers seek in them, and byte offsets
inside a WARC stay what the package's own index says), its CDXJ index
(``indexes/*.cdxj``; ``indexes/index.cdx`` as ArchiveWeb.page names its CDXJ;
the zipnum ``indexes/index.cdx.gz`` that ``wacz`` writes) is joined into one CDXJ file, and the sha256
digests its ``datapackage.json`` declares are checked. Every file read out
of a package is named as ``PACKAGE.wacz/archive/NAME`` in what is shown to
people.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from crawler.warc.formats import ZIP_MAGIC
from crawler.warc.reader import warc_paths

logger = logging.getLogger(__name__)

_ARCHIVE_FOLDER = "archive/"
_INDEX_FOLDER = "indexes/"
_COPY_BUFFER = 1 << 20


@dataclass(frozen=True)
class PackageProblem:
    """Something wrong with a WACZ package as a whole, or with one file in it; *lost*: data cannot be trusted."""

    path: Path
    message: str
    lost: bool = False

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class ArchiveInputs:
    """The files to read (WARC/ARC files; those of WACZ packages copied out), and how to name them."""

    files: list[Path] = field(default_factory=list)
    shown_as: dict[Path, Path] = field(default_factory=dict)  # a file copied out of a package -> its name there
    packages: list[Path] = field(default_factory=list)
    package_of: dict[Path, Path] = field(default_factory=dict)  # a file copied out of a package -> the package
    indexes: dict[Path, Path] = field(default_factory=dict)  # package -> its CDXJ index, joined and unzipped
    problems: list[PackageProblem] = field(default_factory=list)
    digests_verified: int = 0

    def shown(self, path: Path) -> Path:
        """How to name *path* to people: a file copied out of a package by its place in the package."""
        return self.shown_as.get(path, path)

    @property
    def from_packages_only(self) -> bool:
        """Whether every file to read came out of a WACZ package that has an index."""
        return bool(self.files) and all(self.package_of.get(f) in self.indexes for f in self.files)


def is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(ZIP_MAGIC)) == ZIP_MAGIC
    except OSError:
        return False


@contextmanager
def open_inputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[ArchiveInputs]:
    """The files named by *paths* (files, folders, globs), WACZ packages opened; copies are removed on exit."""
    inputs = ArchiveInputs()
    with ExitStack() as cleanup:
        scratch: Path | None = None  # made for the first package only: a run killed outright leaves nothing else
        for path in warc_paths(paths):
            if path.is_file() and is_zip(path):
                if scratch is None:
                    scratch = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="newsarchive-wacz-")))
                _open_package(path, scratch / str(len(inputs.packages)), inputs)
            else:
                inputs.files.append(path)
        yield inputs


def _open_package(package: Path, folder: Path, inputs: ArchiveInputs) -> None:
    inputs.packages.append(package)
    try:
        with zipfile.ZipFile(package) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            warcs = [info for info in members if info.filename.startswith(_ARCHIVE_FOLDER)]
            if not warcs:
                inputs.problems.append(PackageProblem(package, "a ZIP file with no archive/ folder of WARC files: "
                                                               "not a WACZ package"))
                return
            _check_digests(archive, package, inputs)
            folder.mkdir(parents=True)
            names: set[str] = set()
            for info in sorted(warcs, key=lambda info: info.filename):
                name = PurePosixPath(info.filename).name
                if name in names:  # records are addressed by the file's base name, as in the package's index
                    inputs.problems.append(PackageProblem(package, f"{info.filename}: a second WARC file named {name}"
                                                                   ", skipped"))
                    continue
                names.add(name)
                target = folder / name
                try:
                    with archive.open(info) as source, target.open("wb") as copy:
                        shutil.copyfileobj(source, copy, _COPY_BUFFER)
                except zipfile.BadZipFile:
                    # Damaged in the package (the digest check says so): its bytes are read all the same, and
                    # the reader says which records suffered.
                    _copy_unchecked(package, info, target)
                inputs.files.append(target)
                inputs.shown_as[target] = package / info.filename
                inputs.package_of[target] = package
            index = _join_indexes(archive, members, folder / "index.cdxj", package, inputs)
            if index is not None:
                inputs.indexes[package] = index
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        inputs.problems.append(PackageProblem(package, f"the ZIP file cannot be read ({_plain(e)})", lost=True))


def _copy_unchecked(package: Path, info: zipfile.ZipInfo, target: Path) -> None:
    """Copy a member whose CRC-32 fails (zipfile withholds the last bytes of it): stored or deflated data as is."""
    with package.open("rb") as fh, target.open("wb") as copy:
        fh.seek(info.header_offset)
        header = fh.read(30)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        fh.seek(info.header_offset + 30 + name_length + extra_length)
        data = fh.read(info.compress_size)
        if info.compress_type == zipfile.ZIP_DEFLATED:
            data = zlib.decompressobj(-zlib.MAX_WBITS).decompress(data)
        elif info.compress_type != zipfile.ZIP_STORED:
            return
        copy.write(data)


def _join_indexes(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], target: Path, package: Path,
                  inputs: ArchiveInputs) -> Path | None:
    """The package's CDXJ index as one plain CDXJ file (a zipnum ``.cdx.gz`` is a run of gzip members)."""
    found = False
    with target.open("wb") as out:
        for info in members:
            name = info.filename
            if not name.startswith(_INDEX_FOLDER) or not name.endswith((".cdxj", ".cdx", ".cdx.gz", ".cdxj.gz")):
                continue
            try:
                data = archive.read(info)
                data = gzip.decompress(data) if name.endswith(".gz") else data
            except (OSError, EOFError, zipfile.BadZipFile) as e:
                inputs.problems.append(PackageProblem(package, f"{name}: the index cannot be read ({_plain(e)})",
                                                      lost=True))
                continue
            lines = [line for line in data.splitlines(keepends=True) if line.strip() and not line.startswith(b"!")]
            if lines and not lines[0].split(b" ", 2)[-1].startswith(b"{"):
                inputs.problems.append(PackageProblem(package, f"{name}: not a CDXJ index (CDX), not used"))
                continue
            out.writelines(line if line.endswith(b"\n") else line + b"\n" for line in lines)
            found = True
    return target if found else None


def _check_digests(archive: zipfile.ZipFile, package: Path, inputs: ArchiveInputs) -> None:
    """Each resource of ``datapackage.json`` against its declared sha256 digest and size."""
    try:
        datapackage = json.loads(archive.read("datapackage.json"))
    except KeyError:
        inputs.problems.append(PackageProblem(package, "no datapackage.json: the files' digests cannot be checked"))
        return
    except (ValueError, OSError, zipfile.BadZipFile) as e:
        inputs.problems.append(PackageProblem(package, f"datapackage.json cannot be read ({_plain(e)})"))
        return
    for resource in datapackage.get("resources") or []:
        name, algorithm, expected = _declared_digest(resource)
        if not name or algorithm not in hashlib.algorithms_available:
            continue
        digest = hashlib.new(algorithm)
        try:
            with archive.open(name) as member:
                while chunk := member.read(_COPY_BUFFER):
                    digest.update(chunk)
        except KeyError:
            inputs.problems.append(PackageProblem(package, f"{name}: listed in datapackage.json but not in the "
                                                           "package", lost=True))
            continue
        except zipfile.BadZipFile:
            inputs.problems.append(PackageProblem(package, f"{name}: damaged in the package (its CRC-32 does not "
                                                           "match)", lost=True))
            continue
        if digest.hexdigest() != expected.lower():
            inputs.problems.append(PackageProblem(package, f"{name}: {algorithm} digest differs from the one "
                                                           "datapackage.json declares", lost=True))
        else:
            inputs.digests_verified += 1


def _declared_digest(resource: dict) -> tuple[str, str, str]:
    """(path, algorithm, hex digest) of a datapackage resource: ``hash: "sha256:…"`` (WACZ 1.1), or the
    older ``stats: {hash}`` with ``hashing`` (WACZ 1.0, as ArchiveWeb.page wrote it)."""
    name = str(resource.get("path") or "")
    declared = str(resource.get("hash") or "")
    if ":" in declared:
        algorithm, _, value = declared.partition(":")
        return name, algorithm.lower(), value
    stats = resource.get("stats") or {}
    return name, str(resource.get("hashing") or "sha256").lower(), str(stats.get("hash") or declared)


def _plain(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
