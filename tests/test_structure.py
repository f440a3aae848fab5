"""Structural rules for ``src/sqlmig``: layers, cycles, and what library code may do.

Dependency direction: cli -> api -> features -> core -> errors, where the
features are the packages in FEATURES.  The rules are checked on the source
(an AST walk of every ``.py`` file), not by importing it, so they also see
imports inside functions and methods, imports under ``if TYPE_CHECKING:``,
``importlib.import_module("...")`` calls with literal names, and the lazy
``name -> module`` table in a package ``__init__``.

How an import becomes an edge ``source -> target`` (both absolute module names):

* ``import sqlmig.core.files``              -> ``sqlmig.core.files``
* ``from ..core.files import x``            -> ``sqlmig.core.files``
* ``from ..core import files``              -> ``sqlmig.core.files`` (a submodule)
* ``from .. import SqlmigError``            -> ``sqlmig`` (a name in the package ``__init__``)
* ``importlib.import_module(".x", __package__)`` -> ``<package>.x``
* ``_LAZY = {"apply": "api"}`` in an ``__init__.py`` -> ``<package>.api``

Importing ``sqlmig.a.b`` also runs ``sqlmig/__init__`` and ``sqlmig/a/__init__``
at import time; those implicit parent edges are NOT added (everything would
cycle through ``sqlmig/__init__``): only what a module names counts.

The scanner takes the package directory as an argument (``scan(path)``), so it
can be pointed at another tree; the tests get the real one from a fixture.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "sqlmig"

FEATURES = ("governance", "schema", "backup", "checks", "docs", "fleet", "linter", "adapters",
            "adoption", "compliance")


# --------------------------------------------------------------------------
# The graph builder


@dataclass(frozen=True)
class Import:
    source: str      # the importing module, e.g. "sqlmig.core.runner"
    target: str      # what it imports, absolute: "sqlmig.core.files", "click", "os"
    where: str       # "sqlmig/core/runner.py:12"
    type_only: bool  # under `if TYPE_CHECKING:`

    def __str__(self) -> str:
        note = ", TYPE_CHECKING" if self.type_only else ""
        return f"{self.source} -> {self.target}  [{self.where}{note}]"


@dataclass(frozen=True)
class Tree:
    modules: dict[str, ast.Module]  # module name -> parsed source
    paths: dict[str, str]           # module name -> "sqlmig/core/runner.py"
    imports: list[Import]

    def internal(self) -> list[Import]:
        """The imports of sqlmig modules."""
        return [i for i in self.imports if within(i.target, "sqlmig")]


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def scan(package_dir: Path) -> Tree:
    """Parse every module under ``package_dir`` and collect its imports."""
    paths: dict[str, str] = {}
    modules: dict[str, ast.Module] = {}
    for path in sorted(package_dir.rglob("*.py")):
        relative = path.relative_to(package_dir.parent)
        parts = relative.with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        paths[name] = relative.as_posix()
        modules[name] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    imports = list(dict.fromkeys(  # one per import statement, even with several names
        imp
        for name, module in modules.items()
        for imp in _imports(name, paths[name].endswith("__init__.py"), module, paths[name], set(modules))
    ))
    return Tree(modules, paths, imports)


def _resolve(anchor: str, level: int, module: str | None) -> str | None:
    """``from <level dots><module>`` seen from package ``anchor``, made absolute."""
    if level == 0:
        return module
    parts = anchor.split(".")
    if level - 1 >= len(parts):
        return None  # beyond the top-level package: Python would refuse it too
    base = parts[: len(parts) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, is_package: bool, tree: ast.Module, path: str,
             known: set[str]) -> list[Import]:
    package = name if is_package else name.rpartition(".")[0]
    found: list[Import] = []

    def add(target: str | None, node: ast.AST, type_only: bool) -> None:
        if target:
            found.append(Import(name, target, f"{path}:{getattr(node, 'lineno', 0)}", type_only))

    def visit(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for stmt in node.body:
                visit(stmt, True)
            for stmt in node.orelse:
                visit(stmt, type_only)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node, type_only)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(package, node.level, node.module)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                add(submodule if submodule in known else base, node, type_only)
        elif isinstance(node, ast.Call):
            add(_import_module_target(node, name, package), node, type_only)
        for child in ast.iter_child_nodes(node):
            visit(child, type_only)

    visit(tree, False)
    if is_package:
        for node, value in _lazy_table(tree):
            candidates = [_resolve(package, len(value) - len(value.lstrip(".")), value.lstrip("."))
                          if value.startswith(".") else value, f"{package}.{value}"]
            add(next((c for c in candidates if c in known), None), node, False)
    return found


def _import_module_target(call: ast.Call, name: str, package: str) -> str | None:
    """The module named by ``importlib.import_module("...")`` / ``__import__("...")``."""
    func = call.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if called not in ("import_module", "__import__") or not call.args:
        return None
    first = call.args[0]
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None  # an f-string or a variable: the lazy table covers sqlmig's own
    target = first.value
    if not target.startswith("."):
        return target
    anchor_node = call.args[1] if len(call.args) > 1 else None
    if isinstance(anchor_node, ast.Name) and anchor_node.id in ("__package__", "__name__"):
        anchor = package if anchor_node.id == "__package__" else name
    elif isinstance(anchor_node, ast.Constant) and isinstance(anchor_node.value, str):
        anchor = anchor_node.value
    else:
        return None
    dots = len(target) - len(target.lstrip("."))
    return _resolve(anchor, dots, target.lstrip(".") or None)


def _lazy_table(tree: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    """String values of module-level ``{name: "module", ...}`` dicts (a lazy-import table).

    A value may be "api", ".core.session", "sqlmig.core.session" or
    "module:attr"; only values that name an existing module become edges.
    """
    for stmt in tree.body:
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
        if not isinstance(value, ast.Dict):
            continue
        strings = [(v, v.value) for v in value.values
                   if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        if strings and len(strings) == len(value.values):
            for node, text in strings:
                yield node, text.partition(":")[0]


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[tuple[list[str], set[str]]]:
    """Per strongly connected component: one shortest cycle, e.g. [a, b, c, a], and its members."""
    succ = {n: set(graph.get(n, ())) - {n} for n in set(graph).union(*map(set, graph.values()))}

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in succ[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    def shortest_cycle(start: str) -> list[str]:
        parent: dict[str, str] = {}
        queue = deque([start])
        while queue:
            cur = queue.popleft()
            for nxt in sorted(succ[cur]):
                if nxt == start:
                    path = [cur]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return [*reversed(path), start]
                if nxt not in parent:
                    parent[nxt] = cur
                    queue.append(nxt)
        raise AssertionError("unreachable: start is in a cycle")

    reachable = {n: reach(n) for n in succ}
    cycles, done = [], set()
    for node in sorted(succ):
        if node in reachable[node] and node not in done:
            component = {m for m in reachable[node] if node in reachable[m]}
            done |= component
            cycles.append((shortest_cycle(node), component))
    return cycles


def calls(tree: Tree, modules: Iterable[str]) -> Iterator[tuple[str, ast.Call]]:
    for name in modules:
        for node in ast.walk(tree.modules[name]):
            if isinstance(node, ast.Call):
                yield name, node


def dotted(node: ast.AST) -> str:
    """``logging.getLogger`` for an attribute chain of names, "" otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr}" if inner else f"?.{node.attr}"
    return ""


def finding(tree: Tree, module: str, node: ast.expr) -> str:
    return f"{module}: {ast.unparse(node)[:90]}  [{tree.paths[module]}:{node.lineno}]"


def listing(title: str, lines: Iterable[object]) -> str:
    return title + "\n" + "\n".join(f"  {line}" for line in sorted(map(str, lines)))


def report(*sections: tuple[str, Iterable[object]]) -> None:
    """Fail with every non-empty ``(title, offending lines)`` section; pass if all are empty."""
    text = "\n".join(listing(title, lines) for title, lines in sections if lines)
    if text:
        pytest.fail(text, pytrace=False)


# --------------------------------------------------------------------------
# The rules


@pytest.fixture(scope="module")
def tree() -> Tree:
    return scan(PACKAGE_DIR)


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "sqlmig" and parts[1] in FEATURES else None


def outside_cli(tree: Tree) -> list[str]:
    names = [m for m in tree.modules if not within(m, "sqlmig.cli")]
    assert names, f"no sqlmig modules outside sqlmig.cli found under {PACKAGE_DIR}"
    return names


def missing_features(tree: Tree) -> list[str]:
    return [f"sqlmig.{f} (no {f}/__init__.py)" for f in FEATURES if f"sqlmig.{f}" not in tree.modules]


def test_no_import_cycles(tree: Tree) -> None:
    # `if TYPE_CHECKING:` imports never run, so they cannot make an import
    # cycle at runtime, and annotations naming each other's types (under
    # `from __future__ import annotations`) are a normal, harmless pattern
    # between e.g. a report and its producer.  They are left out here only;
    # the layer rules below count them, since a type still couples the layers.
    # Imports inside functions DO count: deferring an import hides a cycle
    # from Python but not from the design.
    assert len(tree.modules) >= 10, f"only {sorted(tree.modules)} found under {PACKAGE_DIR}"
    graph: dict[str, dict[str, Import]] = {m: {} for m in tree.modules}
    for imp in tree.internal():
        if not imp.type_only and imp.target in tree.modules and imp.target != imp.source:
            graph[imp.source].setdefault(imp.target, imp)
    assert any(graph.values()), "no imports between sqlmig modules were found at all"

    cycles = find_cycles(graph)
    report((
        f"{len(cycles)} import cycle(s) among sqlmig modules (one path per cycle; "
        "each edge is `importer -> imported [file:line]`):",
        ["cycle: " + " -> ".join(cycle)
         + "".join(f"\n    {graph[a][b]}" for a, b in zip(cycle, cycle[1:]))
         + (f"\n    (one of the cycles among these {len(members)} modules: "
            f"{', '.join(sorted(members))})" if len(members) > len(cycle) - 1 else "")
         for cycle, members in cycles],
    ))


def test_core_imports_no_feature(tree: Tree) -> None:
    core = [m for m in tree.modules if within(m, "sqlmig.core")]
    assert len(core) >= 10, (
        f"sqlmig.core should hold the core modules (files, sqltext, manifest, project, ...); "
        f"found {len(core)}: {sorted(core)}"
    )
    bad = [
        imp for imp in tree.imports
        if imp.source in core and (
            (within(imp.target, "sqlmig")
             and not within(imp.target, "sqlmig.core") and not within(imp.target, "sqlmig.errors"))
            or within(imp.target, "click")
        )
    ]
    report(("sqlmig.core may import only sqlmig.core.*, sqlmig.errors and non-CLI libraries; "
            "these imports break that:", bad))


def test_errors_is_a_leaf(tree: Tree) -> None:
    errors = [m for m in tree.modules if within(m, "sqlmig.errors")]
    assert errors, f"no sqlmig.errors module under {PACKAGE_DIR}"
    bad = [imp for imp in tree.internal()
           if imp.source in errors and not within(imp.target, "sqlmig.errors")]
    report(("sqlmig.errors must import nothing of sqlmig; it imports:", bad))


def test_features_do_not_import_cli_or_api(tree: Tree) -> None:
    # sqlmig.features (the aggregator that registers the features with the
    # core) sits on the feature layer too, below api.
    importers = [m for m in tree.modules if feature_of(m) or within(m, "sqlmig.features")]
    assert importers, f"no feature modules ({', '.join(FEATURES)}) under {PACKAGE_DIR}"
    bad = [
        imp for imp in tree.internal()
        if imp.source in importers and (
            within(imp.target, "sqlmig.cli") or within(imp.target, "sqlmig.api")
            or imp.target == "sqlmig"
        )
    ]
    report(("feature packages missing:", missing_features(tree)),
           ("features must use the core directly, not sqlmig.cli, sqlmig.api or the public "
            "API in sqlmig/__init__; these imports do:", bad))


def test_only_cli_imports_click(tree: Tree) -> None:
    library = set(outside_cli(tree))
    bad = [imp for imp in tree.imports if imp.source in library and within(imp.target, "click")]
    report(("click belongs to sqlmig.cli only; imported by:", bad))


# Feature -> features it may import.  This documents the real edges; a new
# one needs a decision here, not just an import.  Every feature has a key.
ALLOWED: dict[str, set[str]] = {
    # Every feature-to-feature edge of the tree, with where it comes from; the
    # graph must stay acyclic and every listed edge must still exist.
    "governance": {"backup", "linter"},  # policy: backup: required; approval: lint findings
    "schema": set(),
    "backup": {"schema"},                # dump --verify=restore: catalog fingerprints
    "checks": set(),
    "docs": {"schema"},                  # the catalog
    "fleet": {"backup", "checks", "governance"},  # per-target backup_dir; canary checks;
                                         # auto_apply and backup: required per target
    "linter": {"schema"},                # linter.catalog: table stats from the catalog
    "adapters": {"schema"},              # pytest plugin: verify_migrations
    "adoption": {"governance"},          # drop: refused where the policy guards the env
    "compliance": {"schema", "checks", "governance"},  # catalog + classification; the
                                         # latest check run; approval requests
}


def test_features_are_independent_or_declared(tree: Tree) -> None:
    assert set(ALLOWED) == set(FEATURES), "ALLOWED must have exactly one key per feature"
    assert all(targets <= set(FEATURES) for targets in ALLOWED.values()), ALLOWED
    importers = [m for m in tree.modules if feature_of(m)]
    assert importers, f"no feature modules ({', '.join(FEATURES)}) under {PACKAGE_DIR}"
    bad = []
    used: set[tuple[str, str]] = set()
    for imp in tree.internal():
        a, b = feature_of(imp.source), feature_of(imp.target)
        if a and b and a != b:
            used.add((a, b))
            if b not in ALLOWED[a]:
                bad.append(f"{a} -> {b}: {imp}")
    stale = sorted(f"{a} -> {b}" for a, bs in ALLOWED.items() for b in bs if (a, b) not in used)
    report(("the allowed feature graph (ALLOWED) must be acyclic; it has:",
            [" -> ".join(cycle) for cycle, _ in find_cycles(ALLOWED)]),
           ("feature packages missing:", missing_features(tree)),
           ("feature-to-feature imports not declared in ALLOWED:", bad),
           ("edges in ALLOWED that no import uses any more (remove them):", stale))


def test_library_never_configures_logging(tree: Tree) -> None:
    # Configuring logging (levels, handlers, basicConfig, logging.config,
    # disable) is the application's business: here, sqlmig.cli's.  A library
    # only creates loggers and may attach a logging.NullHandler().
    def configures(call: ast.Call) -> bool:
        name = dotted(call.func)
        attr = name.rpartition(".")[2]
        if attr in ("basicConfig", "setLevel", "dictConfig", "fileConfig"):
            return True
        if attr == "addHandler":
            handler = call.args[0] if call.args else None
            return not (isinstance(handler, ast.Call)
                        and dotted(handler.func) in ("logging.NullHandler", "NullHandler"))
        return name == "logging.disable"

    bad = [finding(tree, m, call) for m, call in calls(tree, outside_cli(tree)) if configures(call)]
    report(("only sqlmig.cli may configure logging; configured by:", bad))


# Modules outside sqlmig.cli allowed to print, each with its reason.  Empty:
# the pytest plugin reports through pytest's own hooks, not print().
PRINT_ALLOWED: dict[str, str] = {}


def test_library_does_not_print(tree: Tree) -> None:
    # Beyond print(), input() and sys.stdout/stderr.write(), any use of
    # sys.stdout/sys.stderr counts (e.g. `self.stream = stream or sys.stderr`
    # and a later self.stream.write): the library hands text back and the CLI
    # decides where it goes.
    streams = ("sys.stdout", "sys.stderr", "sys.__stdout__", "sys.__stderr__", "sys.stdin")
    library = [m for m in outside_cli(tree) if m not in PRINT_ALLOWED]
    bad: dict[tuple[str, int], str] = {}  # one finding per line, the outermost node
    for m in library:
        for node in ast.walk(tree.modules[m]):  # breadth-first: a call before its parts
            if isinstance(node, ast.Call):
                name = dotted(node.func)
                hit = name in ("print", "input") or name.startswith(tuple(s + "." for s in streams))
            elif isinstance(node, ast.Attribute):
                hit = dotted(node) in streams
            else:
                continue
            if hit:
                bad.setdefault((m, node.lineno), finding(tree, m, node))
    report(("only sqlmig.cli may write to the terminal (print, input, sys.stdout/stderr); "
            "found:", list(bad.values())))
