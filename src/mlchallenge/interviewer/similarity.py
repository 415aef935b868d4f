"""How much of each submitted solution cell is found elsewhere: in the reference solution, in
the catalogued attempts, in known solutions the interviewer adds (``report --known DIR``) and in
every other candidate's submission.

Compared with copydetect, the winnowing fingerprints MOSS uses: code is tokenised and names are
replaced by their kind first, so renamed variables and moved whitespace still match. Only
solution cells are compared, cell by cell (the notebook's text and tests never count), and the
release's starter code is boilerplate: an untouched stub, or the function signature the release
gives, matches nothing.

The figure is the share of the candidate's fingerprinted tokens found in the other code. It is
shown to a person, never turned into points: sound work on a small task can look alike, so
``DEFAULT_THRESHOLD`` is set above what the catalogue's independent sound alternatives reach
against the reference (``benchmarks/similarity.py`` prints those figures).

Behaviour survives what rewriting code hides: :func:`same_predictions` groups the candidates
whose models predicted the same value for every hidden-test row of a model task (the predictions
the grading process scored, kept in the autograded notebook). Honest candidates who build the
same pipeline predict the same too, so a group is listed for a person, never turned into points.
"""

from __future__ import annotations

import ast
import hashlib
import html
import io
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat

from mlchallenge.core import cells as nbcells
from mlchallenge.core.course import Course
from mlchallenge.interviewer.attempts import catalogue

# copydetect's noise threshold (k-gram length) 25; every k-gram is kept (window 1) rather than
# winnowed: winnowing keeps the smallest hash of each window, and Python's string hash changes
# from one process to the next, so the figures would too. Cells are small; keeping all is cheap.
NOISE, GUARANTEE = 25, 25
DEFAULT_THRESHOLD = 90.0  # percent of the candidate's cell
# a cell whose code, names and literals taken out, holds fewer distinct k-grams than this says
# too little to compare: a dictionary of short answers whose keys the task gives is the same
# shape for everyone
MIN_DISTINCT = 30
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


@dataclass
class Match:
    candidate: str
    assignment: str
    cell: str  # the solution cell's grade id
    other: str  # "reference", an attempt name, a known file, another candidate
    kind: str  # reference | catalogue | known | cohort
    percent: float  # of the candidate's cell found in the other
    other_percent: float  # of the other found in the candidate's cell
    mine: str  # the candidate's cell as HTML (as compared: ``canonical``), matching spans marked
    theirs: str  # the other's code as HTML, likewise; "" for the reference and the catalogue


def _strip_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines()
                     if line.strip() not in SOLUTION_MARKERS)


def solution_cells(path: Path) -> dict[str, str]:
    """grade id -> source of each solution cell of a notebook; {} when it cannot be read."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable notebook has nothing to compare
        return {}
    return {gid: _strip_markers(cell.source) for cell in notebook.cells
            if cell.cell_type == "code" and nbcells.is_solution(cell) and (gid := nbcells.grade_id(cell))}


class _Canonical(ast.NodeTransformer):
    """Drop what changes nothing the code does: type annotations and docstrings."""

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.annotation = None
        return node

    def visit_FunctionDef(self, node):
        node.returns = None
        first = node.body[0] if node.body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                and isinstance(first.value.value, str):  # a docstring
            node.body = node.body[1:] or [ast.Pass()]
        self.generic_visit(node)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_AnnAssign(self, node: ast.AnnAssign):
        if node.value is None:
            return None
        return ast.copy_location(ast.Assign(targets=[node.target], value=node.value), node)


def canonical(code: str) -> str:
    """The code as Python reads it: comments, docstrings, annotations and layout gone, and the
    cell's imports and definitions in one order (they can be moved around freely). Code that
    does not parse (an IPython magic, say), or nests deeper than the walk can follow, is
    compared as written."""
    movable = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    try:  # a candidate's code: any code
        tree = _Canonical().visit(ast.parse(code))
        head = sorted((node for node in tree.body if isinstance(node, movable)), key=ast.unparse)
        tree.body = head + [node for node in tree.body if not isinstance(node, movable)]
        return ast.unparse(ast.fix_missing_locations(tree))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return code


def _fingerprint(code: str, boilerplate=None):
    from copydetect import CodeFingerprint

    return CodeFingerprint("cell.py", NOISE, GUARANTEE - NOISE + 1, boilerplate=boilerplate,
                           fp=io.StringIO(canonical(code)))


def _marked(code: str, slices) -> str:
    """``code`` as HTML with the copied character ranges in <mark>."""
    out, at = [], 0
    for start, end in sorted(zip(slices[0].tolist(), slices[1].tolist(), strict=True)):
        start, end = max(start, at), max(end, at)
        out.append(html.escape(code[at:start]))
        out.append(f"<mark>{html.escape(code[start:end])}</mark>")
        at = end
    out.append(html.escape(code[at:]))
    return "".join(out)


class Comparer:
    """One assignment's fingerprints, with its starter code as boilerplate per cell."""

    def __init__(self, starter: dict[str, str]) -> None:
        self.boilerplate = {gid: list(_fingerprint(code).hashes) for gid, code in starter.items()}
        self._cache: dict[tuple[str, str], tuple] = {}
        self._compared: dict[tuple, tuple | None] = {}

    def fingerprint(self, cell: str, code: str):
        key = (cell, code)
        if key not in self._cache:
            fingerprint = _fingerprint(code, self.boilerplate.get(cell, []))
            self._cache[key] = (fingerprint, frozenset(fingerprint.hashes))
        return self._cache[key]

    def compare(self, cell: str, mine: str, theirs: str,
                threshold: float = 0.0) -> tuple[float, float, str, str] | None:
        key = (cell, mine, theirs, threshold)  # the same two codes: the same answer
        if key not in self._compared:
            self._compared[key] = self._compare(cell, mine, theirs, threshold)
        return self._compared[key]

    def _compare(self, cell: str, mine: str, theirs: str,
                 threshold: float) -> tuple[float, float, str, str] | None:
        from copydetect import compare_files

        (a, hashes_a), (b, hashes_b) = self.fingerprint(cell, mine), self.fingerprint(cell, theirs)
        if min(len(hashes_a), len(hashes_b)) < MIN_DISTINCT:
            return None
        # shared k-grams first (a set intersection): copydetect's comparison, which also finds
        # where the shared code is, only for pairs that may reach the threshold
        if 100.0 * len(hashes_a & hashes_b) / len(hashes_a) < threshold / 2:
            return None
        _, (share_a, share_b), (slices_a, slices_b) = compare_files(a, b)
        if not share_a:
            return None
        return (100.0 * float(share_a), 100.0 * float(share_b),
                _marked(a.raw_code, slices_a), _marked(b.raw_code, slices_b))


def _known(folder: Path) -> dict[str, dict[str, str]]:
    """Known solutions: each notebook's solution cells by grade id; each .py file as code any
    cell may be compared with (under the key "*")."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".ipynb":
            found[str(path.relative_to(folder))] = solution_cells(path)
        elif path.suffix == ".py":
            try:
                found[str(path.relative_to(folder))] = {"*": path.read_text(encoding="utf-8")}
            except (OSError, UnicodeDecodeError):
                continue
    return found


def similarities(course: Course, assignment: str, candidates: list[str],
                 known: Path | None = None, threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
    """Every match of ``assignment``'s submitted solution cells at or above ``threshold``
    percent: against the reference, the catalogue, ``known`` and each other candidate."""
    source = course.root / "source" / assignment
    release = course.root / "release" / assignment
    notebooks = sorted(p.name for p in source.glob("*.ipynb"))
    starter = {gid: code for name in notebooks for gid, code in solution_cells(release / name).items()}
    comparer = Comparer(starter)
    others: list[tuple[str, str, dict[str, str]]] = [
        ("reference", "reference",
         {gid: code for name in notebooks for gid, code in solution_cells(source / name).items()})]
    attempts = course.root / "tests" / "submissions" / assignment
    if attempts.is_dir():
        others += [(a.name, "catalogue", a.cells) for a in catalogue(attempts.parent, assignment)
                   if a.kind not in ("reference", "blank") and a.cells]
    if known is not None:
        others += [(name, "known", cells) for name, cells in _known(Path(known)).items()]
    submitted = {who: {gid: code for name in notebooks for gid, code in solution_cells(
        course.root / "submitted" / who / assignment / name).items()} for who in candidates}
    matches: list[Match] = []
    for who, mine in submitted.items():
        for cell, code in mine.items():
            if nbcells.not_attempted(code) or code.strip() == starter.get(cell, "").strip():
                continue
            pool = [(name, kind, cells.get(cell) or cells.get("*")) for name, kind, cells in others]
            pool += [(other, "cohort", submitted[other].get(cell)) for other in candidates if other != who]
            for name, kind, theirs in pool:
                # (a catalogued attempt graded as a candidate of its own name: `make demo`)
                if not theirs or nbcells.not_attempted(theirs) or (kind == "catalogue" and name == who):
                    continue
                found = comparer.compare(cell, code, theirs, threshold)
                if found and found[0] >= threshold:
                    percent, other_percent, marked_mine, marked_theirs = found
                    # the reference and the catalogue stay out of the pages (the hidden tests
                    # share lines with them); the candidate's side shows what matched
                    shown = marked_theirs if kind in ("cohort", "known") else ""
                    matches.append(Match(who, assignment, cell, name, kind, percent, other_percent,
                                         marked_mine, shown))
    matches.sort(key=lambda m: (-m.percent, m.candidate, m.cell, m.other))
    return matches


# ---- behaviour: the same predictions on every hidden-test row ------------------------------

# metrics whose predictions are labels: different sound models often agree on every row of a
# small, easy test set, so the same labels say little (benchmarks/similarity.py measures it)
LABEL_METRICS = frozenset({"accuracy"})


@dataclass
class SamePredictions:
    """Candidates whose models predicted the same value for every hidden-test row of one model
    task (the test cell that scored them)."""

    assignment: str
    cell: str
    metric: str
    rows: int
    candidates: list[str]
    scored: int = 0  # candidates of the cohort whose predictions for this task were scored

    @property
    def common(self) -> bool:
        """Half the scored candidates or more predict this: a usual answer (the pipeline the
        task leads to), less telling than two who alone predict the same."""
        return 2 * len(self.candidates) >= self.scored

    def others(self, candidate: str) -> list[str]:
        return [c for c in self.candidates if c != candidate]


def scored_predictions(path: Path) -> dict[str, dict]:
    """grade id -> {"metric", "values"} for each cell of an autograded notebook whose
    predictions the grading process scored; {} when it cannot be read."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable notebook has nothing to compare
        return {}
    found = {}
    for cell in notebook.cells:
        record = cell.get("metadata", {}).get("mlchallenge", {})
        record = record.get("predictions") if isinstance(record, dict) else None
        gid = nbcells.grade_id(cell)
        if gid and isinstance(record, dict) and isinstance(record.get("values"), list) \
                and isinstance(record.get("metric"), str):
            found[gid] = record
    return found


def same_predictions(course: Course, assignment: str, candidates: list[str],
                     labels: bool = False) -> list[SamePredictions]:
    """Groups of two or more candidates whose scored predictions for a model task of
    ``assignment`` are the same on every hidden-test row. Constant predictions (one value for
    every row) say nothing and are left out, and so are label predictions unless ``labels``."""
    groups: dict[tuple[str, str], list[str]] = {}
    shape: dict[tuple[str, str], tuple[str, int]] = {}
    scored: dict[str, set[str]] = {}
    for who in candidates:
        folder = course.root / "autograded" / who / assignment
        for path in sorted(folder.glob("*.ipynb")):
            for cell, record in scored_predictions(path).items():
                values = record["values"]
                scored.setdefault(cell, set()).add(who)
                if (record["metric"] in LABEL_METRICS and not labels) or \
                        len({json.dumps(v) for v in values}) < 2:
                    continue
                digest = hashlib.sha256(json.dumps([record["metric"], values]).encode()).hexdigest()
                groups.setdefault((cell, digest), []).append(who)
                shape[(cell, digest)] = (record["metric"], len(values))
    found = [SamePredictions(assignment, cell, *shape[(cell, digest)], sorted(set(whos)),
                             len(scored[cell]))
             for (cell, digest), whos in groups.items() if len(set(whos)) > 1]
    found.sort(key=lambda g: (g.cell, -len(g.candidates), g.candidates))
    return found
