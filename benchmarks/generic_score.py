"""Score generic extraction on real news pages, next to plain trafilatura, in one run.

Usage: python benchmarks/generic_score.py [PAGES_DIR] [--details]

PAGES_DIR holds saved pages, ``expected.json`` and ``score_pages.py`` (default:
$NEWSARCHIVE_SHARED/realworld-pages, else ../shared/realworld-pages beside the
repository). Both extractors see the same bytes and URL; the scorer's figures
are printed side by side with the time each extractor took.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import trafilatura
from scrapy.http import HtmlResponse

from crawler.domain.provenance import Capture
from crawler.pages.generic import GenericArticlePage

REPO = Path(__file__).resolve().parent.parent
Extractor = Callable[[bytes, str], dict]


def default_pages_dir() -> Path:
    shared = os.environ.get("NEWSARCHIVE_SHARED")
    return (Path(shared) if shared else REPO.parent / "shared") / "realworld-pages"


def ours(body: bytes, url: str) -> dict:
    capture = Capture.of_page(url, 200, datetime.now(timezone.utc))
    return asdict(GenericArticlePage(HtmlResponse(url=url, body=body), None, capture).to_item())


def plain_trafilatura(body: bytes, url: str) -> dict:
    document = trafilatura.bare_extraction(body, url=url, with_metadata=True)
    if document is None:
        return {"url": url}
    return {"url": url, "title": document.title, "body": document.text, "published_at": document.date,
            "comments": [document.comments] if document.comments else []}


def extract_all(pages_dir: Path, extractor: Extractor, out: Path) -> float:
    """Write one JSON line per expected page to *out*; return the seconds spent extracting."""
    expected = json.loads((pages_dir / "expected.json").read_text(encoding="utf-8"))
    spent = 0.0
    with out.open("w", encoding="utf-8") as lines:
        for name, page in expected.items():
            body = (pages_dir / name).read_bytes()
            start = time.perf_counter()
            record = extractor(body, page["url"])
            spent += time.perf_counter() - start
            lines.write(json.dumps({"source_file": name, **record}, ensure_ascii=False) + "\n")
    return spent


def score(pages_dir: Path, jsonl: Path, *extra: str) -> dict:
    """The scorer's output for *jsonl* (its ``--json`` form, or text with *extra* flags)."""
    command = [sys.executable, str(pages_dir / "score_pages.py"), str(jsonl), "--json", *extra]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages_dir", nargs="?", type=Path, default=default_pages_dir())
    parser.add_argument("--details", action="store_true", help="also print the scorer's per-page misses for ours")
    args = parser.parse_args(argv)
    if not (args.pages_dir / "score_pages.py").is_file():
        parser.error(f"no score_pages.py in {args.pages_dir} (set NEWSARCHIVE_SHARED or pass PAGES_DIR)")
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for label, extractor in (("newsarchive", ours), ("trafilatura", plain_trafilatura)):
            out = Path(tmp) / f"{label}.jsonl"
            seconds = extract_all(args.pages_dir, extractor, out)
            results[label] = (score(args.pages_dir, out), seconds)
        if args.details:
            detail = subprocess.run([sys.executable, str(args.pages_dir / "score_pages.py"),
                                     str(Path(tmp) / "newsarchive.jsonl"), "--details"],
                                    capture_output=True, text=True, check=True)
            print(detail.stdout)
    ours_scores, theirs_scores = results["newsarchive"][0]["scores"], results["trafilatura"][0]["scores"]
    denominators = results["newsarchive"][0]["denominators"]
    print(f"{'metric':28} {'newsarchive':>11} {'trafilatura':>11}  (n)")
    for metric, value in ours_scores.items():
        print(f"{metric:28} {_shown(value):>11} {_shown(theirs_scores[metric]):>11}  ({denominators[metric] or '-'})")
    print(f"{'seconds extracting':28} {results['newsarchive'][1]:11.2f} {results['trafilatura'][1]:11.2f}")
    return 0


def _shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    sys.exit(main())
