"""The house keeps its shape: imports point one way, only the command line talks to the terminal.

The layer order is written here, once. Each package may import the packages below it and
nothing above; packages on one level (queries and write; outputs and documents) never import each
other. Imports inside functions count: a lazy import is a plain `import` statement inside the
function, never a string handed to importlib, so this test sees every one.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

LAYERS: list[tuple[str, ...]] = [  # lowest first
    ("model",),
    ("store",),
    ("framework",),
    ("derive",),
    ("rules",),
    ("queries", "write"),
    ("outputs", "documents"),
    ("cli",),
]
TERMINAL_LIBRARIES = {"typer", "rich", "click"}  # only cli/ may import these
TOP_LEVEL = {"__init__": -1, "__main__": len(LAYERS)}  # mars_cli/__init__.py holds the version only


@dataclass(frozen=True)
class Problem:
    module: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.message}"


def modules(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of the package."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports(path: Path, name: str, is_package: bool) -> list[tuple[str, int]]:
    """Every module this one imports (at any depth, inside functions too), with the line."""
    base = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: resolve against this module's package
                anchor = base.split(".")[: len(base.split(".")) - node.level + 1]
                module = ".".join([*anchor, *([module] if module else [])])
            found.append((module, node.lineno))
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
        elif isinstance(node, ast.Call) and _dynamic_import(node):
            found.append(("<dynamic>", node.lineno))
    return found


def _dynamic_import(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("import_module", "__import__")


def graph(package: Path) -> tuple[dict[str, dict[str, int]], list[Problem]]:
    """Module -> {module it imports: line}, for modules of the package; and the problems seen on the way."""
    known = modules(package)
    root = package.name
    edges: dict[str, dict[str, int]] = {m: {} for m in known}
    problems = []
    for name, path in known.items():
        for target, line in imports(path, name, path.name == "__init__.py"):
            if target == "<dynamic>":
                problems.append(Problem(name, line, "imports a module by name at run time; write a plain import"))
            elif target.split(".")[0] in TERMINAL_LIBRARIES and _layer_name(name, root) != "cli":
                problems.append(Problem(name, line, f"imports {target.split('.')[0]}, which only cli/ may import"))
            elif target in known and target != name:
                edges[name].setdefault(target, line)
    return edges, problems


def _layer_name(module: str, root: str) -> str:
    """The package a module belongs to (its first part below the root), or __init__/__main__ at the top."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _rank(layer: str) -> int:
    if layer in TOP_LEVEL:
        return TOP_LEVEL[layer]
    for rank, names in enumerate(LAYERS):
        if layer in names:
            return rank
    raise AssertionError(f"package {layer!r} is in no layer: add it to LAYERS in {__file__}")


def layer_problems(edges: dict[str, dict[str, int]], root: str) -> list[Problem]:
    problems = []
    for module, targets in edges.items():
        here = _layer_name(module, root)
        for target, line in targets.items():
            there = _layer_name(target, root)
            if there == here or there == "__init__":
                continue
            if _rank(there) >= _rank(here):
                problems.append(Problem(module, line, f"{here} imports {target}: {there} is not below {here}"))
    return problems


def cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or round a loop (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def package_edges(edges: dict[str, dict[str, int]], root: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for module, targets in edges.items():
        here = _layer_name(module, root)
        for target in targets:
            there = _layer_name(target, root)
            if there != here:
                out.setdefault(here, {})[there] = 0
    return out


def all_problems(package: Path) -> list[str]:
    edges, problems = graph(package)
    root = package.name
    found = [str(p) for p in problems + layer_problems(edges, root)]
    found += [f"import cycle between modules: {' <-> '.join(group)}" for group in cycles(edges)]
    found += [f"import cycle between packages: {' <-> '.join(group)}" for group in cycles(package_edges(edges, root))]
    return found


def test_mars_cli_imports_point_one_way():
    assert all_problems(ROOT / "mars_cli") == []


def test_every_package_is_in_a_layer_and_says_what_it_may_import():
    """Each package's docstring says its job and ends with the packages it may import, which must be
    the layers below it (so the docstrings cannot drift from the order above)."""
    for init in sorted((ROOT / "mars_cli").glob("*/__init__.py")):
        name = init.parent.name
        rank = _rank(name)
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        below = [n for names in LAYERS[:rank] for n in names]
        expected = f"May import: {', '.join(below)}." if below else "May import: nothing of mars_cli."
        assert doc.splitlines() and len(doc.splitlines()[0]) > 20, f"{name}/__init__.py: say the package's job"
        assert doc.splitlines()[-1] == expected, f"{name}/__init__.py: its docstring should end: {expected}"


def test_the_readme_diagram_shows_this_order():
    design = (ROOT / "README.md").read_text(encoding="utf-8").split("## Design", 1)[1]
    diagram = design.split("```", 2)[1]
    shown = [tuple(word[:-1] for word in line.split() if word.endswith("/")) for line in diagram.splitlines()]
    assert [row for row in shown if row] == list(reversed(LAYERS))


# The test proves the test: a small package with each kind of fault is caught.

def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for rel, text in {"__init__.py": "", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    for folder in [p for p in root.rglob("*") if p.is_dir()]:
        (folder / "__init__.py").touch()
    return root


@pytest.mark.parametrize("files,expected", [
    ({"model/a.py": "from pkg.model import b\n", "model/b.py": "def f():\n    from pkg.model import a\n"},
     "import cycle between modules: pkg.model.a <-> pkg.model.b"),
    ({"model/a.py": "import typer\n"}, "pkg.model.a:1: imports typer, which only cli/ may import"),
    ({"rules/a.py": "from rich.table import Table\n"}, "pkg.rules.a:1: imports rich"),
    ({"store/a.py": "def f():\n    from pkg.rules import b\n", "rules/b.py": ""}, "store imports pkg.rules.b: rules is not below store"),
    ({"queries/a.py": "from pkg.write import b\n", "write/b.py": ""}, "queries imports pkg.write.b: write is not below queries"),
    ({"model/a.py": "import importlib\nimportlib.import_module('pkg.cli.x')\n"}, "imports a module by name at run time"),
    ({"cli/a.py": "import typer\nfrom pkg.model import b\n", "model/b.py": ""}, None),
])
def test_the_checker_catches_each_fault(tmp_path, files, expected):
    found = all_problems(_package(tmp_path, files))
    if expected is None:
        assert found == []
    else:
        assert any(expected in problem for problem in found), found
