"""``newsarchive warc index``: a sorted CDXJ index of WARC files, written by cdxj-indexer.

CDXJ is what pywb and other replay tools read: one line per capture
(response, revisit, resource), keyed by SURT URL and timestamp, with the
base name of the WARC file and the offset and length of the record in it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TextIO

from cdxj_indexer.main import CDXJIndexer

from crawler.warc.check import warc_paths


def index_warcs(
    paths: Iterable[str | os.PathLike[str]], output: str | os.PathLike[str] | TextIO | None = None
) -> int:
    """Write the sorted CDXJ index of the WARC files in *paths* (files or folders) to *output*.

    *output* is a file path, an open text file, or ``None`` for stdout.
    Unfinished ``.open`` files are indexed too when named or found. Returns
    the number of WARC files indexed.
    """
    files = [str(path) for path in warc_paths(paths)]
    if not files:
        return 0
    target = os.fspath(output) if isinstance(output, (str, os.PathLike)) else output
    CDXJIndexer(output=target, inputs=files, sort=True).process_all()
    return len(files)
