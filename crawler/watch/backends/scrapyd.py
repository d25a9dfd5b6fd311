"""The scrapyd backend: the project deployed to a scrapyd server as an egg, each run started through its HTTP API.

Deploying is scrapyd-client's own ``scrapyd-deploy``, run in a scratch folder
that holds a copy of the ``crawler`` and ``spiders`` packages, a ``scrapy.cfg``
naming the server and a ``setup.py`` that keeps the package data (site
profiles, schemas): the egg is built and uploaded as scrapyd-client builds
any project's. Runs go through ``schedule.json`` (spider arguments, and the
archive and job folder as settings, so the output lands in the same layout
and the scheduler reads it back the same way), ``status.json`` and
``cancel.json``. scrapyd runs the crawls on its own machine: the archive
folder must be the same path there (the usual case: scrapyd on this machine),
and scrapyd's Python needs newsarchive's dependencies installed, as for any
scrapyd project (an egg carries the project's code, not its dependencies).
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import crawler
import spiders
from crawler.runs.outcome import RunFailed
from crawler.watch.backends.local import setting_text
from crawler.watch.runs import RunSpec

logger = logging.getLogger(__name__)

PROJECT = "newsarchive"
_TIMEOUT = 30.0
_POLL_SECONDS = 0.5
_SETUP_PY = """\
# Written by newsarchive for scrapyd-deploy: the packages with their data files.
from setuptools import find_packages, setup

setup(
    name="newsarchive",
    version={version!r},
    packages=find_packages(include=["crawler*", "spiders*"]),
    package_data={{"crawler": ["schema/*.json", "profiles/*.toml", "replica/data/*"]}},
    entry_points={{"scrapy": ["settings = crawler.settings"]}},
    zip_safe=False,
)
"""
_SCRAPY_CFG = """\
[settings]
default = crawler.settings

[deploy]
url = {url}
project = {project}
"""


class ScrapydError(RunFailed):
    """The scrapyd server cannot be reached, refused a request, or the project could not be deployed (exit 1)."""


class ScrapydRun:
    """A scrapyd job."""

    def __init__(self, backend: ScrapydBackend, job: str):
        self.backend = backend
        self.ref = job
        self._stopped = False

    def wait(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while self.backend.state_of(self.ref) in ("pending", "running"):
            if time.monotonic() >= deadline:
                raise TimeoutError(self.ref)
            time.sleep(min(_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        return None  # scrapyd reports no exit status; the run's stats.json tells how it ended

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self.backend.cancel(self.ref)


class ScrapydBackend:
    """Runs crawls on the scrapyd server at *url*, in the project *project* (deployed with :meth:`deploy`)."""

    name = "scrapyd"
    inherits_lock = False
    resumes = False  # scrapyd runs plain scrapy crawl, which has no --resume: an interrupted run is retried anew

    def __init__(self, url: str, version: str, project: str = PROJECT):
        self.url = url if url.endswith("/") else url + "/"
        self.version = version
        self.project = project

    @classmethod
    def deploy(cls, url: str, project: str = PROJECT) -> ScrapydBackend:
        """Build the project's egg with scrapyd-deploy, upload it to *url*, and return a backend using it."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ScrapydError(f"{url!r} is not a scrapyd URL like http://127.0.0.1:6800")
        backend = cls(url, str(int(time.time() * 1000)), project)
        backend.request("daemonstatus.json")
        with tempfile.TemporaryDirectory(prefix="newsarchive-deploy-") as scratch:
            folder = Path(scratch)
            for package in (crawler, spiders):
                source = Path(package.__file__).parent
                shutil.copytree(source, folder / source.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            (folder / "setup.py").write_text(_SETUP_PY.format(version=backend.version), encoding="utf-8")
            (folder / "scrapy.cfg").write_text(_SCRAPY_CFG.format(url=backend.url, project=project), encoding="utf-8")
            done = subprocess.run([sys.executable, "-m", "scrapyd_client.deploy", "-v", backend.version], cwd=folder,
                                  capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            said = (done.stderr.strip() or done.stdout.strip()).splitlines()[-3:]
            raise ScrapydError(f"scrapyd-deploy failed (exit status {done.returncode}): {' / '.join(said)}")
        logger.info("deployed %s version %s to %s", project, backend.version, backend.url)
        return backend

    def request(self, endpoint: str, data: list[tuple[str, str]] | None = None,
                query: dict[str, str] | None = None) -> dict[str, Any]:
        url = self.url + endpoint + ("?" + urllib.parse.urlencode(query) if query else "")
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=_TIMEOUT) as answer:
                reply = json.loads(answer.read())
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise ScrapydError(f"{url}: {getattr(e, 'reason', e)}") from e
        if reply.get("status") != "ok":
            raise ScrapydError(f"{url}: {reply.get('message', reply)}")
        return reply

    def start(self, spec: RunSpec, lock_fd: int | None) -> ScrapydRun:
        data = [("project", self.project), ("spider", spec.job.spider), ("_version", self.version),
                # Job folder names repeat across archives; scrapyd's job ids must not (it remembers finished jobs).
                ("jobid", f"{spec.job_id}-{uuid.uuid4().hex[:12]}")]
        data += [("setting", f"{name}={setting_text(value)}") for name, value in spec.settings.items()]
        data += list(spec.spider_args.items())
        reply = self.request("schedule.json", data)
        logger.info("run %s of %s: scheduled on scrapyd as job %s", spec.run.id, spec.job.name, reply["jobid"])
        return ScrapydRun(self, reply["jobid"])

    def state_of(self, job: str) -> str | None:
        """``pending``, ``running``, ``finished``, or None for a job scrapyd does not know (any more)."""
        return self.request("status.json", query={"job": job, "project": self.project}).get("currstate")

    def cancel(self, job: str) -> None:
        self.request("cancel.json", [("project", self.project), ("job", job), ("signal", "TERM")])

    def still_running(self, ref: str) -> bool:
        return self.state_of(ref) in ("pending", "running")

    def stop_orphan(self, ref: str) -> None:
        ScrapydRun(self, ref).stop()
        while self.still_running(ref):
            time.sleep(_POLL_SECONDS)
