"""The floor plan holds: which part may import which (docs/architecture.md), and no import cycles.

Every ``import`` of the project's code is read with ``ast`` (also those inside
functions and ``TYPE_CHECKING`` blocks: they are dependencies too) and checked
against the table below. A new package must be placed in the table before its
imports pass. The cycle check looks at imports that run when a module loads.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Part -> the parts of the project it may import (besides itself and the ``crawler`` root, which holds the
# version). Low parts first; the table must stay free of cycles itself (checked below).
ALLOWED: dict[str, set[str]] = {
    "crawler.domain": set(),
    "crawler.markup": set(),
    "crawler.replica": set(),
    "crawler.profiles": {"crawler.domain", "crawler.markup"},
    "crawler.pages": {"crawler.domain", "crawler.markup", "crawler.profiles"},
    "crawler.components": {"crawler.domain"},
    "crawler.warc": {"crawler.domain", "crawler.components"},
    # What a watch's run plan tells a spider, and what a 304 line is: pure decisions and an item (crawler/watch/).
    "crawler.watch.incremental": {"crawler.domain"},
    "spiders": {"crawler.domain", "crawler.pages", "crawler.profiles", "crawler.watch.incremental"},
    "crawler.runs": {"crawler.domain", "crawler.components", "crawler.warc"},
    "crawler.reprocess": {"crawler.domain", "crawler.profiles", "crawler.warc", "crawler.runs"},
    "crawler.distributed": {"crawler.domain", "crawler.warc", "crawler.runs"},
    # Resuming a crawl cut short: its files closed out, then a crawl answered from its WARCs (reprocessing's replay).
    "crawler.resume": {"crawler.domain", "crawler.warc", "crawler.runs", "crawler.reprocess"},
    # Packaging, replaying and reporting on archives (newsarchive wacz, replay, report).
    "crawler.wacz": {"crawler.domain", "crawler.runs", "crawler.warc"},
    "crawler.replay": {"crawler.runs", "crawler.warc"},
    "crawler.report": {"crawler.domain", "crawler.runs", "crawler.warc"},
    "crawler.profilecheck": {"crawler.domain", "crawler.pages", "crawler.profiles", "crawler.reprocess",
                             "crawler.runs", "crawler.warc"},
    "crawler.watch": {"crawler.domain", "crawler.components", "crawler.runs", "crawler.reprocess",
                      "crawler.distributed", "crawler.watch.incremental", "spiders"},
    "crawler.settings": set(),
    # The command line's argparse parser (its errors on one line).
    "crawler.cliparser": set(),
    # The command line and the package's entry points lead everywhere.
    "crawler.cli": {"*"},
    "crawler.__main__": {"*"},
}
# Third-party packages a part must not import.
FORBIDDEN_LIBRARIES: dict[str, set[str]] = {
    "crawler.domain": {"scrapy", "twisted", "parsel", "lxml"},
    "crawler.markup": {"scrapy", "twisted"},
    "crawler.replica": {"scrapy"},
    "crawler.watch.incremental": {"scrapy", "twisted"},
}
# Module globals assigned at run time, each with why it is not a hidden channel.
ALLOWED_GLOBALS = {
    "crawler.reprocess.index._count_into": "a scanning process's own progress counter, handed to it by the "
                                           "process pool's initializer (the standard library's way)",
}
# What page objects and site profiles must not touch: request state and the clock.
IMPURE = re.compile(r"\b(?:request|response)\.meta\b|datetime\.now\(|time\.time\(|date\.today\(|\butcnow\(")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. crawler.pages.dle
    target: str  # what it imports, e.g. crawler.domain.items
    line: int
    when: str  # "load" (when the module loads), "call" (inside a function) or "typing" (TYPE_CHECKING only)


def modules() -> dict[str, Path]:
    found = {}
    for path in [*(REPO / "crawler").rglob("*.py"), *(REPO / "spiders").rglob("*.py")]:
        parts = path.relative_to(REPO).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(module: str, path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(node: ast.AST, when: str) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                yield from visit(child, "call" if when == "load" else when)
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                yield from visit(child, "typing")
            elif isinstance(child, ast.Import):
                yield from (Import(module, alias.name, child.lineno, when) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - child.level + 1] + [base]).strip(".")
                for alias in child.names:
                    # "from crawler.reprocess import plan" imports the module crawler.reprocess.plan.
                    yield Import(module, f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base,
                                 child.lineno, when)
            else:
                yield from visit(child, when)

    yield from visit(tree, "load")


MODULES = modules()
IMPORTS = [found for module, path in MODULES.items() for found in imports_of(module, path)]


def part_of(module: str) -> str | None:
    """The part of the table a module belongs to: the longest matching prefix."""
    matches = [part for part in ALLOWED if module == part or module.startswith(part + ".")]
    return max(matches, key=len) if matches else None


def is_ours(target: str) -> bool:
    return target == "crawler" or target.startswith(("crawler.", "spiders"))


def test_every_module_has_a_place_in_the_table() -> None:
    homeless = sorted(m for m in MODULES if m not in ("crawler", "spiders") and part_of(m) is None)
    assert not homeless, f"place these in ALLOWED (tests/test_architecture.py and docs/architecture.md): {homeless}"


def test_the_table_itself_has_no_cycle() -> None:
    order: list[str] = []
    pending = {part: {dep for dep in deps if dep != "*"} for part, deps in ALLOWED.items()}
    while pending:
        ready = sorted(part for part, deps in pending.items() if deps <= set(order))
        assert ready, f"the parts {sorted(pending)} depend on each other in a circle"
        order += ready
        for part in ready:
            del pending[part]


def test_parts_import_only_what_the_table_allows() -> None:
    wrong = []
    for found in IMPORTS:
        if not is_ours(found.target) or found.target == "crawler":
            continue
        source, target = part_of(found.module), part_of(found.target)
        allowed = ALLOWED[source] if source else set()
        if target != source and "*" not in allowed and target not in allowed:
            wrong.append(f"{found.module}:{found.line} imports {found.target} ({source} may not import {target})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("part", sorted(FORBIDDEN_LIBRARIES))
def test_low_parts_do_not_import_heavy_libraries(part: str) -> None:
    wrong = [f"{found.module}:{found.line} imports {found.target}" for found in IMPORTS
             if part_of(found.module) == part and found.when != "typing"
             and found.target.split(".")[0] in FORBIDDEN_LIBRARIES[part]]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle_among_modules() -> None:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for found in IMPORTS:
        if found.when == "load" and found.target in MODULES and found.target != found.module:
            graph[found.module].add(found.target)
    cycles = strongly_connected(graph)
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("part", ["crawler/pages", "crawler/profiles", "crawler/markup"])
def test_page_objects_read_no_request_state_and_no_clock(part: str) -> None:
    wrong = [f"{path.relative_to(REPO)}:{number}: {line.strip()}"
             for path in (REPO / part).rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if IMPURE.search(line.split("#")[0])]
    assert not wrong, "\n".join(wrong)


def test_no_module_level_registry() -> None:
    """No process-global mutable state: a module-level container that functions fill, or a global they rebind,
    is how hidden channels between components start (a registry keyed by a setting, a map of crawlers)."""
    wrong = []
    for module, path in MODULES.items():
        if part_of(module) == "crawler.replica":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        containers = {target.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                      and _is_mutable_container(node.value)
                      for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                      if isinstance(target, ast.Name)}
        for function in (node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for inner in ast.walk(function):
                if isinstance(inner, ast.Global) and f"{module}.{function.name}" not in ALLOWED_GLOBALS:
                    wrong.append(f"{module}:{inner.lineno}: {function.name} rebinds module globals {inner.names}")
                elif _mutates(inner, containers):
                    wrong.append(f"{module}:{inner.lineno}: {function.name} fills a module-level container")
    assert not wrong, "\n".join(wrong)


def _is_mutable_container(value: ast.expr | None) -> bool:
    if isinstance(value, (ast.Dict, ast.List, ast.Set)):
        return True
    return isinstance(value, ast.Call) and ast.unparse(value.func).split(".")[-1] in (
        "dict", "list", "set", "defaultdict", "WeakKeyDictionary", "WeakValueDictionary", "OrderedDict")


def _mutates(node: ast.AST, containers: set[str]) -> bool:
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        return any(isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id in containers
                   for t in targets)
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id in containers
            and node.func.attr in ("append", "extend", "add", "update", "setdefault", "pop", "clear", "insert"))


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that import one another in a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_floor_plan_in_the_docs_is_this_table() -> None:
    """docs/architecture.md's "who may import whom" table says what ALLOWED says, row by row."""
    import re

    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")

    def qualified(part: str) -> str:
        return part if part in ("spiders", "*") else f"crawler.{part}"

    documented: dict[str, set[str]] = {}
    for parts, imports in re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", text, re.MULTILINE):
        if parts == "part" or set(parts) <= {"-"}:
            continue
        allowed = (set() if imports.startswith("nothing") else {"*"} if imports == "anything" else
                   {name.strip() for name in re.sub(r"\([^)]*\)", "", imports).split(",")})
        for part in parts.replace("\\_", "_").split(", "):
            documented[qualified(part)] = {qualified(name) for name in allowed}
    assert documented == ALLOWED
