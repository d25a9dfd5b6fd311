"""The spider's side of a watch: what one run fetches, as pure decisions over the run plan the scheduler wrote.

The scheduler writes a run plan (``watch-plan.json`` in the run's job folder)
and hands its path to the spider as ``-a watch_plan=PATH``. It says which
articles the archive already has (``known``), which ones an earlier attempt
of this same run captured (``done``: an interrupted run that is retried), and
which ones are due a revisit (``due``), with the validators of their previous
capture. The spider then:

- walks the listing from the newest page, fetching the articles it does not
  have, and stops after the first page that shows one it has;
- fetches the due articles' pages, conditionally (``If-None-Match`` /
  ``If-Modified-Since``) when the plan says so, then their comment pages;
- fetches nothing else.

A ``304 Not Modified`` for an article page means the article and its comments
are as they were at its previous capture: the line for it is a
:class:`NotModifiedArticle` (``"not_modified": true``, only id, url, site,
capture time and sources), which ``newsarchive export`` reads as "unchanged".
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from crawler.domain.items import Article, Source

RUN_PLAN_ARGUMENT = "watch_plan"
RUN_PLAN_FILENAME = "watch-plan.json"
RUN_PLAN_FORMAT = 1


class RunPlanError(ValueError):
    """A run plan file cannot be read."""


@dataclass(frozen=True)
class Revisit:
    """An article due a revisit: where it is, which age of the policy it is due for, its previous validators."""

    id: str
    url: str
    age: str
    etag: str | None = None
    last_modified: str | None = None


class Listed(Enum):
    """What to do with an article a listing page links to."""

    FETCH = "fetch"  # new to the archive
    KNOWN = "known"  # captured by an earlier run: skipped, and the listing walk stops after this page
    DUE = "due"  # known and due a revisit: fetched from the plan's due list, not from the listing
    DONE = "done"  # captured by an earlier attempt of this run: skipped, counted against max_articles


@dataclass(frozen=True)
class RunPlan:
    """What one run of a watched job knows and must do (an empty plan: everything is new)."""

    known: frozenset[str] = frozenset()
    done: frozenset[str] = frozenset()
    due: tuple[Revisit, ...] = ()
    conditional: bool = True
    job: str = ""
    run: int | None = None
    decided_at: str | None = None
    _due_ids: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_due_ids", frozenset(r.id for r in self.due))

    def listed(self, article_id: str) -> Listed:
        """The decision for an article a listing links to, by its id (``site:number``)."""
        if article_id in self._due_ids:
            return Listed.DUE
        if article_id in self.done:
            return Listed.DONE
        return Listed.KNOWN if article_id in self.known else Listed.FETCH

    @staticmethod
    def keep_paging(decisions: list[Listed]) -> bool:
        """Whether the listing walk goes on to the next page after a page with these decisions.

        It stops once a page shows an article the archive had before this run:
        everything older is in the archive, or was left out on purpose.
        """
        return not any(d in (Listed.KNOWN, Listed.DUE) for d in decisions)

    def revisits(self) -> list[Revisit]:
        """The revisits still to make (an earlier attempt of this run may have made some)."""
        return [revisit for revisit in self.due if revisit.id not in self.done]

    def revisit_headers(self, revisit: Revisit) -> dict[str, str]:
        """The conditional request headers for *revisit*: its previous capture's validators, if the plan sends them."""
        if not self.conditional:
            return {}
        headers = {}
        if revisit.etag:
            headers["If-None-Match"] = revisit.etag
        if revisit.last_modified:
            headers["If-Modified-Since"] = revisit.last_modified
        return headers

    def to_json(self) -> dict[str, Any]:
        return {
            "format": RUN_PLAN_FORMAT,
            "job": self.job,
            "run": self.run,
            "decided_at": self.decided_at,
            "conditional": self.conditional,
            "known": sorted(self.known),
            "done": sorted(self.done),
            "due": [revisit.__dict__ for revisit in self.due],
        }

    @classmethod
    def from_json(cls, data: Any) -> RunPlan:
        if not isinstance(data, dict) or data.get("format") != RUN_PLAN_FORMAT:
            raise RunPlanError(f"not a run plan of format {RUN_PLAN_FORMAT}")
        try:
            return cls(
                known=frozenset(map(str, data.get("known", []))),
                done=frozenset(map(str, data.get("done", []))),
                due=tuple(Revisit(**entry) for entry in data.get("due", [])),
                conditional=bool(data.get("conditional", True)),
                job=str(data.get("job", "")),
                run=data.get("run"),
                decided_at=data.get("decided_at"),
            )
        except TypeError as e:
            raise RunPlanError(f"a due entry is malformed: {e}") from e


def write_run_plan(folder: Path, plan: RunPlan) -> Path:
    """Write *plan* as ``watch-plan.json`` in *folder* (atomically) and return its path."""
    path = folder / RUN_PLAN_FILENAME
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(plan.to_json(), indent=1) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


def load_run_plan(path: str | None) -> RunPlan:
    """The run plan at *path*; an empty plan (a one-shot crawl) for None. :class:`RunPlanError` if unreadable."""
    if not path:
        return RunPlan()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise RunPlanError(f"cannot read {path}: {e.strerror or e}") from e
    except ValueError as e:
        raise RunPlanError(f"{path} is not JSON: {e}") from e
    return RunPlan.from_json(data)


@dataclass
class NotModifiedArticle(Article):
    """The line for an article page that answered ``304 Not Modified``: unchanged since its previous capture."""

    not_modified: bool = True


def not_modified_article(article_id: str, url: str, site: str, sources: list[Source]) -> NotModifiedArticle:
    """The line for a ``304`` answer to the article page at *url*: its identity and capture, nothing read."""
    return NotModifiedArticle(
        id=article_id,
        url=url,
        canonical_url=None,
        site=site,
        fetched_at=sources[-1].captured_at if sources else None,
        sources=sources,
    )
