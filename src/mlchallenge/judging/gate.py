"""The integrity gate: the submitted source, read (never run) by the grading process.

The kernel runs the candidate's code beside the hidden tests' emit side, so code that reaches
into that process's machinery could change what the kernel produces. Such code has no place
in an interview answer, and it is visible in the source: ``tampering(nb)`` lists every line
of the candidate's cells (solution cells and cells the candidate added; locked cells are the
instructor's, restored by nbgrader) that

- reaches into IPython's machinery (``get_ipython`` other than the plain form a ``%magic``
  becomes, input transformers, events), or runs code the gate cannot read (``%run``,
  ``%%writefile`` of a ``.py`` file, ``%%script`` / ``%%python``);
- reaches into the interpreter: ``builtins`` / ``__builtins__``, function internals
  (``__code__``, ``__globals__``, ``__defaults__``, ``__closure__``), frames
  (``sys._getframe``, ``inspect.stack`` / ``currentframe``, ``f_back`` / ``f_globals``),
  ``sys.modules``, tracing hooks, ``gc``'s object lists, ``ctypes``;
- imports the kit (``mlchallenge``) or IPython's internals, or loads code dynamically
  (``exec``, ``eval``, ``compile``, ``__import__``, ``importlib``);
- writes to ``globals()``;
- assigns or deletes an attribute of an imported module or class, or of a builtin type
  (monkeypatching numpy, pandas, scikit-learn, ``str``), directly or with ``setattr``.

Ordinary code passes: IPython magics, ``pd.set_option`` and ``pd.options.*``, ``plt.rcParams``,
``sklearn.set_config``, seeds, warning filters, ``setattr(self, ...)`` in a custom estimator,
``inspect.signature``, ``gc.collect()``, the standard library.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from typing import cast

from mlchallenge.judging.source import (
    attribute_path,
    candidate_cells,
    imported_names,
    literal_str,
    module_of,
    own_names,
    parse_cell,
    root_of,
)

# attributes whose only use is to reach into functions, frames and the interpreter
INTERNALS = frozenset({
    "__code__", "__globals__", "__defaults__", "__kwdefaults__", "__closure__", "__builtins__",
    "__subclasses__", "f_back", "f_globals", "f_locals", "f_builtins", "f_code", "gi_frame",
    "cr_frame", "ag_frame", "tb_frame", "co_consts", "co_code", "input_transformers_post",
    "input_transformers_cleanup", "ast_transformers", "__import__", "__bases__", "__base__",
    "__mro__", "__setattr__", "__delattr__", "_getframe", "_current_frames", "settrace",
    "setprofile", "get_objects", "get_referrers", "get_referents", "meta_path", "path_hooks",
    "addaudithook", "currentframe", "getouterframes", "getinnerframes", "getframeinfo",
    "getmodule",
})
DYNAMIC = frozenset({"exec", "eval", "compile", "__import__", "get_ipython", "breakpoint"})
FORBIDDEN_MODULES = {
    "builtins": "imports builtins",
    "ctypes": "imports ctypes",
    "importlib": "loads code dynamically (importlib)",
    "mlchallenge": "imports the grading kit",
    "IPython": "imports IPython's internals",
    "_thread": "imports _thread",
    "sysconfig": None,
}
# IPython's display API, under each name it is published (``from IPython import display`` too)
ALLOWED_SUBMODULES = ("IPython.display", "IPython.core.display")
ALLOWED_FROM = {"IPython": {"display"}}
MODULE_ATTRIBUTES = {
    "sys": {"_getframe": "reads the call stack (sys._getframe)", "modules": "reaches into sys.modules",
            "settrace": "sets a trace hook", "setprofile": "sets a profile hook",
            "meta_path": "changes how modules are imported", "path_hooks": "changes how modules are imported",
            "_current_frames": "reads the call stack", "addaudithook": "sets an audit hook",
            "displayhook": "replaces the display hook", "excepthook": "replaces the exception hook"},
    "inspect": {name: "reads the call stack (inspect)" for name in
                ("stack", "currentframe", "trace", "getouterframes", "getinnerframes", "getframeinfo")},
    "gc": {name: "reaches other objects through the garbage collector" for name in
           ("get_objects", "get_referrers", "get_referents")},
    "threading": {"settrace": "sets a trace hook", "setprofile": "sets a profile hook"},
    "types": {name: "builds functions or code objects by hand" for name in
              ("FunctionType", "CodeType", "FrameType", "LambdaType")},
}
# magics that run code the gate cannot read
UNREADABLE_MAGICS = frozenset({"run", "script", "python", "python2", "python3", "pypy", "load_ext",
                               "reload_ext", "macro"})
HARMLESS_EXTENSIONS = frozenset({"autoreload", "line_profiler", "memory_profiler", "watermark"})
# magics whose cell body is Python the kernel runs: read it too
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
BUILTIN_TYPES = frozenset(name for name in dir(builtins) if isinstance(getattr(builtins, name), type))
# module settings that honest notebooks assign as attributes
SETTINGS_PATHS = ("options", "rcParams", "backends")


@dataclass(frozen=True)
class Finding:
    cell: str  # the cell's grade id, or "cell N" for a cell the candidate added
    line: int
    code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.cell}, line {self.line}: {self.reason}: {self.code.strip()[:160]}"


_INTERNAL_WORD = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(sorted(INTERNALS)) + r")(?![A-Za-z0-9_])")


def _names_internal(text: str) -> bool:
    """Whether a string names an internal as a word ("ref_code" does not name f_code)."""
    return _INTERNAL_WORD.search(text) is not None


def _kit_names(imported: dict[str, str]) -> set[str]:
    return {name for name, module in imported.items() if module.split(".")[0] == "mlchallenge"}


class _Reader(ast.NodeVisitor):
    def __init__(self, imported: dict[str, str], kit: frozenset[str] = frozenset()) -> None:
        self.imported = imported
        self.kit = kit  # the kit's objects the hidden tests bound, which this cell does not bind
        self.hits: list[tuple[int, str]] = []
        self.asked: set[int] = set()  # ``sys.modules`` only asked whether it holds a name

    def visit_Compare(self, node: ast.Compare) -> None:
        # ``"google.colab" in sys.modules`` reads nothing out of it: only the test is allowed
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn) and isinstance(right, ast.Attribute) and \
                    module_of(right, self.imported) == "sys.modules":
                self.asked.add(id(right))
        self.generic_visit(node)

    def hit(self, node: ast.AST, reason: str) -> None:
        self.hits.append((getattr(node, "lineno", 1), reason))

    # imports
    def _module(self, node: ast.AST, module: str) -> None:
        if module.startswith(ALLOWED_SUBMODULES):
            return
        top = module.split(".")[0]
        reason = FORBIDDEN_MODULES.get(top)
        if reason:
            self.hit(node, reason)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and not node.level:
            if not {alias.name for alias in node.names} <= ALLOWED_FROM.get(node.module, set()):
                self._module(node, node.module)
            for alias in node.names:
                reason = MODULE_ATTRIBUTES.get(node.module, {}).get(alias.name)
                if reason:
                    self.hit(node, reason)

    # names, attributes, strings
    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.kit:
            self.hit(node, f"uses the grading kit's {node.id}, which a hidden test bound")
            return
        if node.id in self.imported:
            return  # from re import compile: a name the notebook imported, not the builtin
        if node.id == "__builtins__":
            self.hit(node, "reaches into __builtins__")
        elif node.id in DYNAMIC and node.id != "get_ipython":
            self.hit(node, f"runs code dynamically ({node.id})")
        elif node.id == "get_ipython":
            self.hit(node, "reaches into IPython's machinery (get_ipython)")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in INTERNALS:
            self.hit(node, f"reaches into {node.attr}")
        elif node.attr == "__dict__" and self._foreign(node.value):
            self.hit(node, "reaches into an imported module's or class's namespace (__dict__)")
        root = root_of(node)
        if (isinstance(root, ast.Name) and root.id in self.imported and node.value is not root) or \
                (isinstance(node.value, ast.Name) and node.value.id in self.imported):
            full = (".".join([self.imported[root.id], *attribute_path(node)])
                    if isinstance(root, ast.Name) else "")
            owner, _, attr = full.rpartition(".")
            reason = MODULE_ATTRIBUTES.get(owner, {}).get(attr)
            if reason and id(node) not in self.asked:
                self.hit(node, reason)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and _names_internal(node.value):
            self.hit(node, "names an interpreter internal in a string")

    def visit_BinOp(self, node: ast.BinOp) -> None:
        text = literal_str(node)
        if text is not None and _names_internal(text):
            self.hit(node, "names an interpreter internal in a string")
        self.generic_visit(node)

    # calls: the magic form of get_ipython, globals() writes, setattr on modules
    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) and \
                isinstance(func.value.func, ast.Name) and func.value.func.id == "get_ipython" \
                and not func.value.args:
            self._magic(node, func.attr)
            for arg in node.args:
                self.visit(arg)
            return
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) and \
                isinstance(func.value.func, ast.Name) and func.value.func.id in ("globals", "vars") \
                and func.attr in ("update", "setdefault", "pop", "popitem", "clear", "__setitem__",
                                  "__delitem__"):
            self.hit(node, "writes to the notebook's globals()")
        if isinstance(func, ast.Name) and func.id in ("setattr", "delattr") and node.args:
            if self._foreign(node.args[0]):
                self.hit(node, f"changes an attribute of an imported module or class ({func.id})")
            if len(node.args) > 1:
                name = literal_str(node.args[1])
                if name in INTERNALS:
                    self.hit(node, f"reaches into {name}")
        if isinstance(func, ast.Name) and func.id == "vars" and node.args and self._foreign(node.args[0]):
            self.hit(node, "reaches into an imported module's namespace (vars)")
        self.generic_visit(node)

    def _magic(self, node: ast.Call, method: str) -> None:
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        if method not in ("run_line_magic", "run_cell_magic", "system", "getoutput") or \
                any(not isinstance(a, str) for a in args):
            self.hit(node, "reaches into IPython's machinery (get_ipython)")
            return
        texts = cast(list[str], args)  # every one a str (checked above)
        if method in ("system", "getoutput"):
            return  # a shell command runs in another process, outside the kernel
        name = texts[0].lstrip("%")
        line = texts[1] if len(texts) > 1 else ""
        if name in ("load_ext", "reload_ext") and line.strip() in HARMLESS_EXTENSIONS:
            return
        if name in UNREADABLE_MAGICS:
            self.hit(node, f"runs code the grader cannot read (%{name})")
        elif name == "writefile" and line.strip().split()[-1:] and line.strip().split()[-1].endswith(".py"):
            self.hit(node, "writes a Python module the grader cannot read (%%writefile)")
        elif method == "run_cell_magic" and name in PYTHON_CELL_MAGICS and len(texts) > 2:
            body = parse_cell(texts[2])
            if body is None:
                return
            offset = node.lineno + 1
            inner = _Reader(self.imported)
            inner.visit(body)
            self.hits.extend((offset + line_no - 1, reason) for line_no, reason in inner.hits)

    # monkeypatching
    def _foreign(self, node: ast.AST) -> bool:
        """An imported module or class, a builtin type, or the type of something."""
        if isinstance(node, ast.Name):
            return node.id in self.imported or node.id in BUILTIN_TYPES
        if isinstance(node, ast.Attribute):
            if node.attr == "__class__":
                return True
            return self._foreign(node.value) and not self._settings(node)
        return bool(isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "type")

    def _settings(self, node: ast.Attribute) -> bool:
        return any(part in SETTINGS_PATHS for part in attribute_path(node))

    def _target(self, target: ast.AST) -> None:
        if isinstance(target, ast.Attribute):
            if target.attr == "__class__":
                self.hit(target, "changes an object's class")
            elif self._foreign(target.value) and not self._settings(target):
                self.hit(target, "changes an attribute of an imported module or class (monkeypatching)")
        elif isinstance(target, ast.Subscript):
            value = target.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
                    value.func.id in ("globals", "vars"):
                self.hit(target, "writes to the notebook's globals()")
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._target(element)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._target(target)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._target(node.target)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._target(node.target)
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._target(target)
        self.generic_visit(node)


def tampering(nb) -> list[Finding]:
    """Every line of the candidate's cells that the gate flags (see the module docstring)."""
    trees = [t for t in (parse_cell(c.source) for c in nb.cells if c.get("cell_type") == "code") if t]
    imported = imported_names(trees)
    kit = _kit_names(imported)
    findings: list[Finding] = []
    for name, cell in candidate_cells(nb):
        tree = parse_cell(cell.source)
        if tree is None:
            continue  # a cell that does not parse fails in the kernel, and gains nothing
        reader = _Reader(imported, frozenset(kit - own_names(tree)))
        reader.visit(tree)
        lines = cell.source.splitlines()
        seen: set[tuple[int, str]] = set()
        for line, reason in reader.hits:
            if (line, reason) in seen:
                continue
            seen.add((line, reason))
            code = lines[line - 1] if 0 < line <= len(lines) else ""
            findings.append(Finding(name, line, code, reason))
    return findings
