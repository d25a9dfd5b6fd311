"""``newsarchive wacz``: a crawl of the replica packaged, validated by the wacz tool, and reprocessed to the same lines.

The round trip of the issue: crawl → ``newsarchive wacz`` → ``wacz validate``
→ ``newsarchive reprocess`` of the package gives the lines that reprocessing
the job folder gives, and those of the live crawl.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ReplicaServer
from crawler.reprocess import reprocess

REPO = Path(__file__).resolve().parents[1]
SEED = "179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html"


def _newsarchive(*arguments: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *map(str, arguments)], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def job(replica: ReplicaServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    archive = tmp_path_factory.mktemp("wacz-archive")
    done = _newsarchive("crawl", "topwar", "-a", f"start_urls={replica.url}{SEED},{replica.url}",
                        "-a", "max_articles=30",
                        "--out", archive, "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")
    assert done.returncode == 0, done.stderr[-3000:]
    (job_dir,) = [path for path in archive.iterdir() if path.is_dir()]
    return job_dir


@pytest.fixture(scope="module")
def package(job: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("wacz") / "crawl.wacz"
    done = _newsarchive("wacz", job, "-o", output, "--title", "Replica crawl")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"newsarchive: wrote {output}: 1 WARC file, ")
    return output


def test_the_wacz_tool_validates_it(package: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(package)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation succeeded" in done.stdout


def test_it_holds_the_warcs_index_pages_items_and_digests(package: Path, job: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        names = sorted(archive.namelist())
        (warc,) = job.glob("*.warc.gz")
        assert names == sorted(["archive/" + warc.name, "indexes/index.cdx.gz", "indexes/index.idx",
                                "pages/pages.jsonl", "newsarchive/items.jsonl", "datapackage.json",
                                "datapackage-digest.json"])
        assert archive.read("archive/" + warc.name) == warc.read_bytes()
        items = archive.read("newsarchive/items.jsonl")
        assert items == (job / "items.jsonl").read_bytes()
        datapackage = json.loads(archive.read("datapackage.json"))
        pages = [json.loads(line) for line in archive.read("pages/pages.jsonl").decode().splitlines()]
        digest = json.loads(archive.read("datapackage-digest.json"))
        package_bytes = archive.read("datapackage.json")
    assert datapackage["title"] == "Replica crawl"
    resources = {resource["path"]: resource for resource in datapackage["resources"]}
    assert resources["newsarchive/items.jsonl"]["hash"] == "sha256:" + hashlib.sha256(items).hexdigest()
    assert set(resources) == set(names) - {"datapackage.json", "datapackage-digest.json"}
    assert digest == {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}
    assert pages[0] == {"format": "json-pages-1.0", "id": "pages", "title": "Article pages"}
    articles = [json.loads(line) for line in items.decode().splitlines()]
    assert [(page["url"], page["ts"]) for page in pages[1:]] == [(a["url"], a["fetched_at"]) for a in articles]
    (seed,) = [page for page in pages[1:] if page["url"].endswith(SEED)]
    assert seed["title"] == "A source reveals the Kremlin's reaction to large-scale protests in Belarus"


def test_the_package_reprocesses_to_the_job_folders_lines(package: Path, job: Path, tmp_path: Path) -> None:
    from_package = reprocess([package], output=tmp_path / "package.jsonl", progress="none")
    from_folder = reprocess([job], output=tmp_path / "folder.jsonl", progress="none")
    assert (from_package.exit_status, from_folder.exit_status) == (0, 0), from_package.summary()
    assert (tmp_path / "package.jsonl").read_bytes() == (tmp_path / "folder.jsonl").read_bytes()
    live = sorted((job / "items.jsonl").read_text(encoding="utf-8").splitlines())
    assert sorted((tmp_path / "package.jsonl").read_text(encoding="utf-8").splitlines()) == live
    assert [str(path) for path in from_package.files] == [f"{package}/archive/{p.name}" for p in job.glob("*.warc.gz")]


@pytest.mark.parametrize(("make", "message"), [
    (lambda tmp: tmp / "nowhere", "{job} is not a folder"),
    (lambda tmp: tmp, "no WARC files in {job}"),
])
def test_bad_arguments_are_one_line_and_status_2(tmp_path: Path, make, message: str) -> None:
    job_dir = make(tmp_path)
    output = tmp_path / "out.wacz"
    done = _newsarchive("wacz", job_dir, "-o", output)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", f"newsarchive wacz: error: {message.format(job=job_dir)}\n")
    assert not output.exists()
