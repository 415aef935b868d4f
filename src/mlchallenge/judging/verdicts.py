"""Hidden tests judged in the grading process, from what the kernel emitted.

A hidden test cell (the part between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``,
as nbgrader's OverwriteCells restored it from the gradebook: the instructor's source, never the
candidate's) only builds inputs and calls ``emit(key, function, *args)`` for each call of a
candidate's function. In the kernel that calls the function and emits the result
(``mlchallenge.kernel.emit``). Here, in the grading process:

1. the hidden part is *replayed*: run again with ``emit`` replaced by a recorder that keeps the
   arguments and never calls anything of the candidate's (the names the cell takes from the
   notebook are placeholders that refuse to be used). The judge thus holds its own copies of
   the inputs, built by code and libraries the candidate never touched;
2. the cell's judge, a function in ``source/<assignment>/judges.py`` registered for the cell's
   grade id with ``@judge("test-...")``, gets a ``Case``: the replayed inputs and the emitted
   results, rebuilt as plain data. It computes the expected values itself and either returns
   the fraction of the points earned or raises ``Wrong`` / ``NotAttempted`` with the message;
3. the cell's outputs are replaced by the verdict: an error (0 points) or the points earned.

A hidden test that emitted nothing, or results its replay did not ask for, earns 0 with the
reason. The kernel's own outputs in a test cell never decide its points.
"""

from __future__ import annotations

import ast
import builtins
import importlib.util
import math
import re
import symtable
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nbformat.v4 import new_output

from mlchallenge.core.errors import KitError
from mlchallenge.judging.codec import Malformed, decode
from mlchallenge.judging.compare import NotAttempted, Wrong
from mlchallenge.kernel.emit import fingerprint
from mlchallenge.kernel.outputs import EMIT_MIME

HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*$(?P<body>.*?)^[ \t]*### END HIDDEN TESTS[ \t]*$",
                    re.MULTILINE | re.DOTALL)
JUDGES_FILE = "judges.py"


class SpecError(KitError):
    """A hidden test or its judge is wrong (a mistake in source/, not the candidate's)."""


def judge(grade_id: str) -> Callable[[Callable], Callable]:
    """Register the decorated function as the judge of test cell ``grade_id``."""

    def register(function: Callable) -> Callable:
        # a mark on the function, which load_judges reads back; mypy allows no new attribute on
        # a Callable
        function.judges_cell = grade_id  # type: ignore[attr-defined]
        return function

    return register


# ---------------------------------------------------------------------------
# Replay


class NotebookName:
    """A name the hidden test takes from the notebook (a candidate's function): in the replay
    it can be passed to ``emit`` and nothing else."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<notebook name {self.name}>"

    def _refuse(self, *args, **kwargs):
        raise SpecError(
            f"the hidden test uses the notebook's {self.name!r} outside emit(); a hidden test "
            "may only pass the candidate's functions to emit"
        )

    __call__ = __getattr__ = __getitem__ = __iter__ = _refuse


@dataclass
class Call:
    key: str
    function: object
    args: tuple
    kwargs: dict
    seconds: float | None

    @property
    def label(self) -> str:
        for candidate in (self.function, *self.args, *self.kwargs.values()):
            if isinstance(candidate, NotebookName):
                return f"{candidate.name}()"
        return "your code"


class Recorder:
    def __init__(self) -> None:
        self.calls: dict[str, Call] = {}

    def __call__(self, key, function, *args, seconds=None, **kwargs) -> None:
        if not isinstance(key, str):
            raise SpecError("emit() takes the call's name (a string) first")
        if key in self.calls:
            raise SpecError(f"the hidden test emits {key!r} twice")
        self.calls[key] = Call(key, function, args, kwargs, seconds)


def hidden_part(source: str) -> str | None:
    match = HIDDEN.search(source)
    return match["body"] if match else None


class _DropEmitImport(ast.NodeTransformer):
    """``from mlchallenge.kernel import emit`` is the recorder in a replay."""

    def visit_ImportFrom(self, node: ast.ImportFrom):
        if (node.module or "").startswith("mlchallenge.kernel"):
            node.names = [alias for alias in node.names if alias.name != "emit"]
            if not node.names:
                return None
        return node


def _free_names(source: str) -> set[str]:
    """Names the code reads from the notebook: referenced at module level or as globals inside
    its functions, and bound nowhere at module level (a function's own parameters and locals
    do not count)."""
    table = symtable.symtable(source, "<hidden test>", "exec")
    defined = {s.get_name() for s in table.get_symbols()
               if s.is_assigned() or s.is_imported() or s.is_namespace()}
    free = {s.get_name() for s in table.get_symbols() if s.is_referenced()}
    stack = list(table.get_children())
    while stack:
        child = stack.pop()
        stack.extend(child.get_children())
        # a global a function reads (a name an enclosing function binds is not the notebook's)
        free |= {s.get_name() for s in child.get_symbols() if s.is_referenced() and s.is_global()}
    return free - defined


def replay(source: str, label: str) -> tuple[dict[str, Call], dict]:
    """Run a hidden part with ``emit`` recording: (the calls by key, the namespace)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise SpecError(f"{label}: the hidden test does not parse: {exc}") from None
    tree = ast.fix_missing_locations(_DropEmitImport().visit(tree))
    free = _free_names(source) - set(dir(builtins)) - {"emit"}
    recorder = Recorder()
    namespace: dict = {"__name__": "__hidden_test__", "__builtins__": builtins, "emit": recorder}
    namespace.update({name: NotebookName(name) for name in free})
    try:
        exec(compile(tree, f"<{label}>", "exec"), namespace)
    except SpecError:
        raise
    except Exception as exc:
        raise SpecError(f"{label}: replaying the hidden test failed: {type(exc).__name__}: {exc}") from exc
    return recorder.calls, namespace


# ---------------------------------------------------------------------------
# The case a judge sees


@dataclass
class Case:
    """One hidden test: the replayed inputs and what the kernel emitted for each call."""

    grade_id: str
    calls: dict[str, Call]
    records: dict[str, dict]
    ns: dict = field(default_factory=dict)

    def call(self, key: str) -> Call:
        try:
            return self.calls[key]
        except KeyError:
            raise SpecError(f"{self.grade_id}: the judge reads {key!r}, which the hidden test "
                            "does not emit") from None

    def args(self, key: str) -> tuple:
        """The arguments of call ``key``, as the grader built them (never touched by the
        candidate's code)."""
        return self.call(key).args

    def kwargs(self, key: str) -> dict:
        return self.call(key).kwargs

    def record(self, key: str) -> dict:
        self.call(key)
        return self.records[key]

    def status(self, key: str) -> str:
        return str(self.record(key).get("status"))

    def returned(self, key: str):
        """What call ``key`` returned, as plain data; ``NotAttempted`` or ``Wrong`` when it did
        not return."""
        call, record = self.call(key), self.record(key)
        status = record.get("status")
        if status == "not-attempted":
            raise NotAttempted(f"{call.label} is not attempted yet: it still raises NotImplementedError")
        if status == "raised":
            raise Wrong(f"{call.label} raised {record.get('error', 'an error')}")
        if status == "timeout":
            raise Wrong(f"{call.label} ran past its time limit of {call.seconds:g} s")
        if status in ("too-large", "unencodable"):
            raise Wrong(f"{call.label} returned what the grader cannot check: {record.get('error')}")
        if status != "returned" or "value" not in record:
            raise Wrong(f"{call.label}: the hidden test's result is not in the grader's format")
        try:
            return decode(record["value"])
        except (Malformed, KeyError, TypeError, ValueError) as exc:
            raise Wrong(f"{call.label}: the result could not be read ({exc})") from None

    def seconds(self, key: str, clock: str = "cpu") -> float:
        """The call's CPU (default) or wall seconds, as the kernel measured them."""
        value = self.record(key).get(clock)
        if not (type(value) is int or type(value) is float) or not math.isfinite(value) or value < 0:
            raise Wrong(f"{self.call(key).label}: the time of the call was not recorded")
        return float(value)

    def unchanged(self, key: str, message: str) -> None:
        """``Wrong(message)`` when the call changed any argument it was given."""
        call, record = self.call(key), self.record(key)
        after = record.get("args")
        if not isinstance(after, list) or len(after) != len(call.args):
            raise Wrong(message)
        for mine, theirs in zip(call.args, after, strict=True):
            if not isinstance(mine, NotebookName) and fingerprint(mine) != theirs:
                raise Wrong(message)
        kwafter = record.get("kwargs") or {}
        for name, value in call.kwargs.items():
            if not isinstance(value, NotebookName) and fingerprint(value) != kwafter.get(name):
                raise Wrong(message)


# ---------------------------------------------------------------------------
# Judges of a challenge


_loaded: dict[tuple[str, int], dict[str, Callable]] = {}


def load_judges(path: Path) -> dict[str, Callable]:
    """The judges in ``path`` by the grade id they judge (read once per file version)."""
    path = Path(path).resolve()
    stamp = (str(path), path.stat().st_mtime_ns)
    if stamp in _loaded:
        return _loaded[stamp]
    name = "mlchallenge_judges_" + re.sub(r"\W", "_", path.parent.name)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SpecError(f"{path}: cannot be loaded as Python")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise SpecError(f"{path}: {type(exc).__name__}: {exc}") from exc
    judges: dict[str, Callable] = {}
    for value in vars(module).values():
        grade_id = getattr(value, "judges_cell", None)
        if callable(value) and isinstance(grade_id, str):
            if grade_id in judges:
                raise SpecError(f"{path}: two judges for {grade_id}")
            judges[grade_id] = value
    _loaded[stamp] = judges
    return judges


# ---------------------------------------------------------------------------
# Verdicts


@dataclass
class Verdict:
    fraction: float  # of the cell's points
    message: str = ""
    not_attempted: bool = False


def emitted_records(outputs: list) -> list[dict]:
    records = []
    for output in outputs:
        if output.get("output_type") in ("display_data", "execute_result") and \
                EMIT_MIME in output.get("data", {}):
            records.append(output["data"][EMIT_MIME])
    return records


def _kernel_error(outputs: list) -> dict | None:
    for output in outputs:
        if output.get("output_type") == "error":
            return output
    return None


def verdict(grade_id: str, judge_fn: Callable, hidden: str, outputs: list) -> Verdict:
    """The verdict on one hidden test cell from its outputs in the kernel."""
    calls, namespace = replay(hidden, f"hidden test {grade_id}")
    records = emitted_records(outputs)
    by_key: dict[str, dict] = {}
    for record in records:
        key = record.get("key") if isinstance(record, dict) else None
        if not isinstance(key, str) or key not in calls:
            return Verdict(0.0, "the hidden test cell holds results the test did not ask for: "
                                "results shown by your own code are not accepted")
        if key in by_key:
            return Verdict(0.0, f"the hidden test cell holds two results for {key!r}, where the "
                                "test emits one: results shown by your own code are not accepted")
        by_key[key] = record
    missing = [key for key in calls if key not in by_key]
    if missing:
        error = _kernel_error(outputs)
        if error is not None:
            ename, evalue = str(error.get("ename", "")), str(error.get("evalue", ""))
            if ename in ("NotImplementedError", "NotAttempted"):
                return Verdict(0.0, "not attempted yet: the stub still raises NotImplementedError",
                               not_attempted=True)
            return Verdict(0.0, f"{ename}: {evalue}" if evalue else ename)
        return Verdict(0.0, "the hidden test did not run: no result reached the grader")
    case = Case(grade_id, calls, by_key, namespace)
    try:
        result = judge_fn(case)
    except NotAttempted as exc:
        return Verdict(0.0, str(exc), not_attempted=True)
    except AssertionError as exc:
        return Verdict(0.0, str(exc) or "the result does not have the required properties")
    except SpecError:
        raise
    except Exception as exc:  # noqa: BLE001 - a result of a shape the judge did not expect
        return Verdict(0.0, f"the result could not be checked ({type(exc).__name__}: {exc})")
    message = ""
    if isinstance(result, tuple):
        result, message = result
    fraction = 1.0 if result is None else float(result)
    if not math.isfinite(fraction):
        raise SpecError(f"{grade_id}: the judge returned {fraction}")
    return Verdict(min(1.0, max(0.0, fraction)), message)


def verdict_outputs(v: Verdict, points: float, execution_count=None, hidden: str = "") -> list:
    """The cell's outputs for nbgrader: an error (0 points) or the points earned. A failure's
    traceback quotes the hidden test, as a kernel's traceback would: practice feedback shows
    it, and the interview report never shows tracebacks."""
    if v.fraction <= 0.0:
        ename = "NotAttempted" if v.not_attempted else "AssertionError"
        text = v.message or "the result does not have the required properties"
        traceback = [f"{ename}: {text}"]
        if hidden.strip():
            traceback += ["", "The hidden test (judged in the grading process):",
                          *hidden.strip("\n").splitlines()]
        return [new_output("error", ename=ename, evalue=text, traceback=traceback)]
    outputs = []
    if v.message:
        outputs.append(new_output("stream", name="stdout", text=v.message.rstrip("\n") + "\n"))
    outputs.append(new_output("execute_result", data={"text/plain": repr(round(v.fraction * points, 3))},
                              execution_count=execution_count))
    return outputs
