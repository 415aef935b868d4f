"""Rules of a task ("from scratch: no scikit-learn"), checked on the submitted source.

A challenge's ``manifest.toml`` declares them per solution cell::

    [rules.knn]
    forbid = ["sklearn", "scipy"]           # modules the task may not use
    tests = ["test-knn", "test-knn-fast"]   # the test cells that lose their points on a breach
    why = "k-NN from scratch: numpy and the standard library only"

The grading process reads the solution cell (never runs it) and finds every use of a
forbidden module: an import of it in the cell, or a name bound to it anywhere in the notebook
(the setup cell's imports included), used in the cell directly or through a function or class
the candidate defined in another cell. Hidden tests compare with the libraries' own output, so
a library call matches them by construction: without this check "from scratch" is not graded.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from mlchallenge.judging.source import candidate_cells, imported_names, parse_cell


@dataclass(frozen=True)
class Rule:
    cell: str
    forbid: tuple[str, ...]
    tests: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Breach:
    rule: Rule
    line: int
    code: str
    module: str

    def __str__(self) -> str:
        return (f"rule of {self.rule.cell}: {self.rule.why}; line {self.line} uses {self.module}: "
                f"{self.code.strip()[:160]}")


def rules_from_manifest(manifest: dict) -> list[Rule]:
    table = manifest.get("rules", {})
    if not isinstance(table, dict):
        raise ValueError("[rules] should be a table of solution cells")
    rules = []
    for cell, entry in table.items():
        forbid, tests, why = entry.get("forbid"), entry.get("tests"), entry.get("why")
        if not (isinstance(forbid, list) and forbid and all(isinstance(m, str) for m in forbid)):
            raise ValueError(f"[rules.{cell}] needs forbid = [module names]")
        if not (isinstance(tests, list) and tests and all(isinstance(t, str) for t in tests)):
            raise ValueError(f"[rules.{cell}] needs tests = [test cell ids]")
        if not isinstance(why, str) or not why:
            raise ValueError(f"[rules.{cell}] needs why = \"what the task allows\"")
        rules.append(Rule(cell, tuple(forbid), tuple(tests), why))
    return rules


def _forbidden(module: str, forbid: tuple[str, ...]) -> str | None:
    """The forbidden module ``module`` is or lies in ("sklearn" forbids sklearn.metrics;
    "sklearn.model_selection" forbids that package and leaves sklearn.base allowed)."""
    for name in forbid:
        if module == name or module.startswith(name + "."):
            return name
    return None


def _dotted(node: ast.expr, bound: dict[str, str]) -> str | None:
    """The full module path of ``sklearn.model_selection.cross_val_score`` and the like, when
    the chain starts at a name the notebook bound by an import."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in bound:
        return ".".join([bound[node.id], *reversed(parts)])
    return None


def _locals(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    """Names a function binds in its own scope (its arguments, what it assigns, defines or
    imports; not what it declares global or nonlocal): there they are not the notebook's."""
    names = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    declared: set[str] = set()
    body = function.body if isinstance(function.body, list) else [function.body]
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Global | ast.Nonlocal):
            declared.update(node.names)
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)  # its body is a scope of its own
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        stack.extend(ast.iter_child_nodes(node))
    return names - declared


def _uses(tree: ast.AST, bound: dict[str, str], forbid: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line, module) for each use of a forbidden module in ``tree``. Inside a function, a name
    the function binds itself (``clone = dict(params)``) is its own, not an import's."""
    uses = []

    def visit(node: ast.AST, names: dict[str, str]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            own = _locals(node)
            names = {name: module for name, module in names.items() if name not in own}
        if isinstance(node, ast.Import):
            for alias in node.names:
                module = _forbidden(alias.name, forbid)
                if module:
                    uses.append((node.lineno, module))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:  # from sklearn import model_selection
                module = _forbidden(f"{node.module}.{alias.name}", forbid)
                if module:
                    uses.append((node.lineno, module))
        elif isinstance(node, ast.Attribute):
            path = _dotted(node, names)
            module = _forbidden(path, forbid) if path else None
            if module:
                uses.append((node.lineno, module))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in names:
            module = _forbidden(names[node.id], forbid)
            if module:
                uses.append((node.lineno, module))
        for child in ast.iter_child_nodes(node):
            visit(child, names)

    visit(tree, bound)
    return sorted(set(uses))


def _definitions(tree: ast.AST) -> dict[str, ast.AST]:
    return {node.name: node for node in getattr(tree, "body", [])
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}


def breaches(nb, rules: list[Rule]) -> list[Breach]:
    """Every use of a forbidden module in the solution cells the rules name."""
    if not rules:
        return []
    trees = [t for t in (parse_cell(c.source) for c in nb.cells if c.get("cell_type") == "code") if t]
    bound = imported_names(trees)
    cells = dict(candidate_cells(nb))
    # functions and classes the candidate defined anywhere, and what they use
    defined: dict[str, ast.AST] = {}
    for cell in cells.values():
        tree = parse_cell(cell.source)
        if tree is not None:
            defined.update(_definitions(tree))
    found: list[Breach] = []
    for rule in rules:
        cell = cells.get(rule.cell)
        tree = parse_cell(cell.source) if cell is not None else None
        if tree is None:
            continue
        assert cell is not None  # a tree comes only from a cell
        lines = cell.source.splitlines()
        for line, module in _uses(tree, bound, rule.forbid):
            found.append(Breach(rule, line, lines[line - 1] if 0 < line <= len(lines) else "", module))
        # helpers defined elsewhere (another cell, or a name the cell does not define itself)
        own = _definitions(tree)
        reached = _reached_helpers(tree, defined, own)
        for name in sorted(reached):
            for _, module in _uses(defined[name], bound, rule.forbid):
                line = _first_use_line(tree, name)
                code = lines[line - 1] if 0 < line <= len(lines) else ""
                found.append(Breach(rule, line, code, f"{module} (through {name})"))
                break
    return found


def _reached_helpers(tree: ast.AST, defined: dict[str, ast.AST], own: dict[str, ast.AST]) -> set[str]:
    """The candidate's functions and classes from other cells that the cell calls, directly or
    through each other."""
    reached: set[str] = set()
    frontier = [tree]
    while frontier:
        node = frontier.pop()
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load) and sub.id in defined \
                    and sub.id not in own and sub.id not in reached:
                reached.add(sub.id)
                frontier.append(defined[sub.id])
    return reached


def _first_use_line(tree: ast.AST, name: str) -> int:
    lines = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name]
    return min(lines) if lines else 1
