"""Reading a notebook's source without running it: the cells the candidate wrote, each parsed
as IPython runs it (magics become the calls IPython makes of them), and the module path each
imported name (or an alias of one) stands for. The integrity gate and the task rules read
submissions through it."""

from __future__ import annotations

import ast
from typing import Any

from IPython.core.inputtransformer2 import TransformerManager

from mlchallenge.core import cells as nbcells


def root_of(node: ast.AST) -> ast.AST:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def attribute_path(node: ast.AST) -> list[str]:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return list(reversed(parts))


def literal_str(node: ast.AST) -> str | None:
    """A string constant, or a concatenation of string constants."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = literal_str(node.left), literal_str(node.right)
        if left is not None and right is not None:
            return left + right
    if isinstance(node, ast.JoinedStr):
        # the parser puts only str constants in an f-string
        return "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def imported_names(trees: list[ast.AST]) -> dict[str, str]:
    """Names bound by imports anywhere in the notebook (and simple aliases of them): the
    module path each stands for."""
    names = _import_bindings(trees)
    _add_aliases(trees, names)
    return names


def _import_bindings(trees: list[ast.AST]) -> dict[str, str]:
    names: dict[str, str] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        names[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        names[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _add_aliases(trees: list[ast.AST], names: dict[str, str]) -> None:
    # aliases: x = np; x = np.linalg; for m in (np, pd): ...; [m for m in (np.linalg,)]
    for _ in range(3):  # aliases of aliases
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign):
                    module = module_of(node.value, names)
                    for target in node.targets:
                        if module and isinstance(target, ast.Name):
                            names.setdefault(target.id, module)
                elif isinstance(node, ast.For | ast.comprehension) and isinstance(node.target, ast.Name):
                    elements = node.iter.elts if isinstance(node.iter, ast.Tuple | ast.List | ast.Set) else []
                    modules = [m for m in (module_of(e, names) for e in elements) if m]
                    if modules:
                        names.setdefault(node.target.id, modules[0])


def module_of(node: ast.AST, names: dict[str, str]) -> str | None:
    """The module path an expression names when it is an imported name or an attribute of one."""
    path = attribute_path(node)
    root = node
    while isinstance(root, ast.Attribute):
        root = root.value
    if isinstance(root, ast.Name) and root.id in names:
        return ".".join([names[root.id], *path])
    return None


def own_names(tree: ast.AST) -> set[str]:
    """Names a cell binds itself (assignments, definitions, imports, arguments)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def parse_cell(source: str) -> ast.AST | None:
    """A code cell's source as Python, its IPython syntax (magics, ``!``, ``?``) turned into
    the calls IPython itself makes of it; None when it does not parse."""
    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return None


def candidate_cells(nb) -> list[tuple[str, Any]]:
    """The code cells the candidate wrote: solution cells and cells added to the notebook."""
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        meta = nbcells.nbgrader(cell)
        if meta.get("locked") or (meta.get("grade") and not meta.get("solution")):
            continue
        cells.append((meta.get("grade_id") or f"cell {index + 1}", cell))
    return cells
