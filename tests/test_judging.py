"""The hidden-verdict boundary: what the kernel emits, how the grading process rebuilds the
inputs and judges, the integrity gate and the task rules. Grading through nbgrader with real
kernels is proved by the catalogue (test_challenges.py) and the hostile corpus (test_hostile.py);
these pin the parts on their own."""

from __future__ import annotations

import json
import os
import tomllib

import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, SUBMISSIONS
from nbformat.v4 import new_code_cell, new_notebook, new_output
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlchallenge.interviewer import similarity
from mlchallenge.interviewer.attempts import build_notebook, catalogue
from mlchallenge.judging import compare
from mlchallenge.judging.codec import EstimatorSpec, Opaque, decode
from mlchallenge.judging.gate import tampering
from mlchallenge.judging.rules import breaches, rules_from_manifest
from mlchallenge.judging.verdicts import SpecError, replay, verdict
from mlchallenge.kernel.emit import EMIT_MIME, call_and_record, call_in_fresh_process, encode, fingerprint

ASSIGNMENTS = sorted(p.name for p in SUBMISSIONS.iterdir() if p.is_dir() and p.name != "hostile")


def roundtrip(value):
    return decode(json.loads(json.dumps(encode(value))))


# ---------------------------------------------------------------------------
# what the kernel emits, rebuilt


def test_frames_series_and_arrays_come_back_exactly():
    frame = pd.DataFrame({
        "x": [1.5, np.nan, -2.0], "n": [1, 2, 3], "s": ["a", None, "c"],
        "k": pd.Categorical(["u", "v", "u"], categories=["v", "u"], ordered=True),
        "t": pd.to_datetime(["2024-01-01", None, "2024-03-01"]), "b": [True, False, True],
    }, index=[10, 7, 3])
    back = roundtrip(frame)
    assert back.equals(frame) and list(back.dtypes) == list(frame.dtypes)
    assert list(back["k"].cat.categories) == ["v", "u"] and back["k"].cat.ordered
    series = pd.Series([1.0, 2.0], index=pd.Index(["a", "b"], name="key"), name="value")
    assert roundtrip(series).equals(series) and roundtrip(series).index.name == "key"
    array = np.arange(12, dtype=np.float32).reshape(3, 4)
    back = roundtrip(array)
    assert back.dtype == np.float32 and back.shape == (3, 4) and (back == array).all()
    nested = {"a": (1, np.int64(2), [np.inf, -np.inf, np.nan]), 3: "x"}
    back = roundtrip(nested)
    assert back["a"][0] == 1 and back["a"][1] == 2 and np.isnan(back["a"][2][2]) and back[3] == "x"


def test_a_lying_subclass_comes_back_as_its_plain_value():
    class AlwaysEqual(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    back = roundtrip(AlwaysEqual("wrong"))
    assert type(back) is str and back == "wrong" and back != "right"


def test_estimators_and_splitters_come_back_as_specs_the_grader_can_rebuild():
    search = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression()),
                          {"logisticregression__C": [0.1, 1.0]},
                          cv=StratifiedKFold(3, shuffle=True, random_state=4), scoring="roc_auc")
    spec = roundtrip(search)
    assert isinstance(spec, EstimatorSpec) and spec.class_name == "GridSearchCV"
    rebuilt = compare.rebuild(spec)
    assert type(rebuilt) is GridSearchCV and rebuilt.cv.random_state == 4
    assert rebuilt.get_params()["estimator__logisticregression__C"] == 1.0

    class Custom(LogisticRegression):
        pass

    with pytest.raises(compare.Wrong, match="not a scikit-learn class"):
        compare.rebuild(roundtrip(Custom()))
    assert isinstance(roundtrip(object()), Opaque)


def test_a_call_is_recorded_as_returned_raised_not_attempted_or_timed_out():
    def stub(x):
        raise NotImplementedError

    def boom(x):
        raise ValueError("bad input")

    def slow(x):
        import time

        time.sleep(5)

    assert call_and_record("k", lambda x: x + 1, (1,), {})["value"] == 2
    assert call_and_record("k", stub, (1,), {})["status"] == "not-attempted"
    record = call_and_record("k", boom, (1,), {})
    assert record["status"] == "raised" and "ValueError: bad input" in record["error"]
    assert call_and_record("k", slow, (1,), {}, seconds=0.2)["status"] == "timeout"


def test_a_fresh_call_starts_from_the_same_state_and_leaves_nothing_behind():
    """A label-flip probe's calls run fresh: a cache keyed on the arguments that the first call
    fills is empty for the second, and nothing the calls did reaches the caller."""
    cache: dict = {}

    def remembers(rows, labels):
        key = tuple(rows)
        if key not in cache:
            cache[key] = sum(labels)
        return cache[key]

    first = call_in_fresh_process("a", remembers, ([1, 2], [1, 1]), {})
    second = call_in_fresh_process("b", remembers, ([1, 2], [0, 0]), {})
    assert (first["value"], second["value"]) == (2, 0) and first["fresh"] and not cache
    # in one process the cache answers the second call with the first call's answer
    assert call_and_record("a", remembers, ([1, 2], [1, 1]), {})["value"] == 2
    assert call_and_record("b", remembers, ([1, 2], [0, 0]), {})["value"] == 2

    def slow():
        import time

        time.sleep(30)

    def leaves():
        os._exit(3)

    assert call_in_fresh_process("k", slow, (), {}, seconds=0.3)["status"] == "timeout"
    gone = call_in_fresh_process("k", leaves, (), {})
    assert gone["status"] == "raised" and "ended without a result" in gone["error"]
    assert call_in_fresh_process("k", lambda: np.arange(3), (), {})["value"]["t"] == "array"


# A call that hands its work to other processes, run in an interpreter of its own as in a
# kernel: the test process has other children (the catalogue's grading runs beside the suite),
# whose ends are none of this call's time. ``BUSY`` works until it has 1 s of CPU (however busy
# the machine is; a minute without it fails instead of hanging); ``mode`` says who does it.
_HANDS_OFF = """
import json, os, subprocess, sys, time
from pathlib import Path
from mlchallenge.kernel.emit import call_and_record

BUSY = "import time\\nwhile time.process_time() < 1.0: pass"

def own(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

started = []

def hands_off(mode):
    if mode == "left-running":  # a child that works and is still running at the return
        child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        started.append(child)
        deadline = time.monotonic() + 60
        while own(child.pid) < 1.0:
            assert time.monotonic() < deadline, "the busy child got under 1 s of CPU in 60 s"
            time.sleep(0.05)
    else:  # a child that stays, whose own child did the work and was waited for
        code = ("import subprocess, sys, time; subprocess.run([sys.executable, '-c', %r], "
                "timeout=60); print('done', flush=True); time.sleep(600)" % BUSY)
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        started.append(child)
        assert child.stdout.readline() == "done\\n"
    return 1

try:
    record = call_and_record("k", hands_off, (sys.argv[1],), {})
finally:
    for process in started:
        process.kill()
        process.wait()
print(json.dumps({"status": record["status"], "cpu": record["cpu"]}))
"""


@pytest.mark.parametrize("mode", ["left-running", "reaped-by-a-child"])
def test_a_call_s_cpu_time_counts_the_processes_it_left_running(mode):
    """Work handed to a process that is still running when the call returns (a pool kept
    alive), or to one that such a process started and waited for, is the call's CPU time."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _HANDS_OFF, mode], capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout.splitlines()[-1])
    assert record["status"] == "returned" and 0.9 < record["cpu"] < 5, record


def test_a_kept_result_equals_a_fresh_one_and_is_the_caller_s_own():
    from mlchallenge.judging import memo

    X = pd.DataFrame({"a": np.linspace(0, 1, 60), "b": np.tile([0.0, 1.0, 3.0], 20)})
    y = pd.Series(np.tile(["good", "bad", "bad", "good", "good"], 12))
    search = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression()),
                          {"logisticregression__C": [0.1, 1.0]}, cv=3, scoring="roc_auc")

    def fit(estimator, X, y):
        return estimator.fit(X, y)

    memo.forget()
    first = memo.once(fit, search, X, y)
    hits = memo.stats["hits"]
    again = memo.once(fit, search, X, y)
    assert memo.stats["hits"] == hits + 1 and again is not first and not hasattr(search, "cv_results_")
    fresh = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression()),
                         {"logisticregression__C": [0.1, 1.0]}, cv=3, scoring="roc_auc").fit(X, y)
    assert np.array_equal(again.cv_results_["mean_test_score"], fresh.cv_results_["mean_test_score"])
    again.best_params_["logisticregression__C"] = 99  # the caller's own copy
    assert memo.once(fit, search, X, y).best_params_ == fresh.best_params_
    # other parameters or other rows: computed anew
    assert memo.once(fit, search.set_params(estimator__logisticregression__C=5.0), X, y) is not None
    misses = memo.stats["misses"]
    memo.once(fit, search, X.iloc[:45], y.iloc[:45])
    assert memo.stats["misses"] == misses + 1
    assert memo.once(lambda f: f(2), lambda v: v + 1) == 3  # not picklable: computed, not kept


def test_fingerprints_show_a_changed_argument():
    frame = pd.DataFrame({"a": [1.0, np.nan]})
    before = fingerprint(frame)

    def fill_in_place(f):
        f.fillna(0.0, inplace=True)
        return f

    record = call_and_record("k", fill_in_place, (frame,), {})
    assert record["args"][0] != before
    assert fingerprint(pd.DataFrame({"a": [1.0, np.nan]})) == before


# ---------------------------------------------------------------------------
# replay and verdicts


HIDDEN = """
import numpy as np
import pandas as pd
from mlchallenge.kernel import emit

_frame = pd.DataFrame({"a": [1.0, np.nan, 3.0]})
emit("first", fill, _frame.copy())
emit("second", fill, _frame.iloc[:2].copy(), how="zero")
"""


def judge_fill(case):
    (frame,) = case.args("first")
    got = compare.frame(case.returned("first"), "fill()")
    compare.allclose(got["a"], frame["a"].fillna(frame["a"].median()), "missing values should be the median")


def outputs_for(*records):
    return [new_output("display_data", data={EMIT_MIME: r}) for r in records]


def test_the_replay_holds_the_graders_own_inputs_and_never_calls_the_candidate():
    calls, _namespace = replay(HIDDEN, "t")
    assert list(calls) == ["first", "second"]
    assert calls["first"].label == "fill()" and calls["second"].kwargs == {"how": "zero"}
    assert calls["first"].args[0]["a"].isna().sum() == 1
    with pytest.raises(SpecError, match="outside emit"):
        replay("x = fill(1)\n", "t")


def test_a_verdict_comes_from_the_emitted_result_and_the_graders_expectation():
    right = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
    wrong = pd.DataFrame({"a": [1.0, 0.0, 3.0]})
    good = call_and_record("first", lambda f: right, (pd.DataFrame({"a": [1.0, np.nan, 3.0]}),), {})
    other = call_and_record("second", lambda f, how: f, (pd.DataFrame({"a": [1.0, np.nan]}),),
                            {"how": "zero"})
    assert verdict("t", judge_fill, HIDDEN, outputs_for(good, other)).fraction == 1.0
    bad = call_and_record("first", lambda f: wrong, (pd.DataFrame({"a": [1.0, np.nan, 3.0]}),), {})
    result = verdict("t", judge_fill, HIDDEN, outputs_for(bad, other))
    assert result.fraction == 0 and result.message == "missing values should be the median"


def test_results_the_test_did_not_ask_for_or_twice_earn_nothing():
    good = call_and_record("first", lambda f: f.fillna(2.0), (pd.DataFrame({"a": [1.0, np.nan, 3.0]}),), {})
    other = call_and_record("second", lambda f, how: f, (pd.DataFrame({"a": [1.0, np.nan]}),),
                            {"how": "zero"})
    forged = dict(good, key="third")
    assert "did not ask for" in verdict("t", judge_fill, HIDDEN, outputs_for(good, other, forged)).message
    assert "two results" in verdict("t", judge_fill, HIDDEN, outputs_for(good, good, other)).message
    assert "did not run" in verdict("t", judge_fill, HIDDEN, []).message
    stub = [new_output("error", ename="NotImplementedError", evalue="", traceback=[])]
    assert verdict("t", judge_fill, HIDDEN, stub).not_attempted


# ---------------------------------------------------------------------------
# the integrity gate: ordinary code is clean, reaching into the machinery is flagged

SETUP = ("import warnings\nimport numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
         "import sklearn\nfrom sklearn.linear_model import LogisticRegression\n")


def notebook(*sources: str):
    cells = [new_code_cell(SETUP, metadata={"nbgrader": {"grade_id": "setup", "locked": True,
                                                         "solution": False, "grade": False}}),
             new_code_cell("### BEGIN HIDDEN TESTS\nfrom mlchallenge.kernel import emit\n"
                           "### END HIDDEN TESTS", metadata={"nbgrader": {
                               "grade_id": "test-x", "locked": True, "solution": False,
                               "grade": True, "points": 1}})]
    for i, source in enumerate(sources):
        cells.append(new_code_cell(source, metadata={"nbgrader": {"grade_id": f"task{i}", "locked": False,
                                                                  "solution": True, "grade": False}}))
    return new_notebook(cells=cells)


ORDINARY = [
    "%matplotlib inline\n%load_ext autoreload\n%autoreload 2\n%config InlineBackend.figure_format = 'retina'",
    "pd.set_option('display.max_columns', 50)\npd.options.mode.chained_assignment = None",
    "plt.rcParams['figure.figsize'] = (8, 4)\nsklearn.set_config(transform_output='pandas')",
    "np.random.seed(0)\nrng = np.random.default_rng(0)\nwarnings.filterwarnings('ignore')",
    "class Clipper(LogisticRegression):\n    def __init__(self, C=1.0):\n        self.C = C\n"
    "    def set(self, **kw):\n        for k, v in kw.items():\n            setattr(self, k, v)\n"
    "        self.__dict__.update(kw)\n        return self",
    "%%time\nmodel = LogisticRegression()\nmodel.C = 0.5",
    "import inspect, gc, collections, math, statistics, itertools, functools, heapq\n"
    "inspect.signature(len)\ngc.collect()\nfrom IPython.display import display\ndisplay(1)",
    "from re import compile\npattern = compile('a+')\nframe = pd.DataFrame({'ref_code': [1]})\n"
    "frame.eval('ref_code + 1')\n!ls",
    "import sys\nsys.path.append('.')\nprint(sys.version)",
    "import sys\nIN_COLAB = 'google.colab' in sys.modules\nplain = 'x' not in sys.modules",
    "from IPython import display\ndisplay.display(1)\nfrom IPython.core.display import HTML",
]

ATTACKS = {
    "input transformer": "get_ipython().input_transformers_post.append(lambda lines: lines)",
    "events": "ip = get_ipython()\nip.events.register('pre_run_cell', print)",
    "module attribute": "np.log = np.sqrt",
    "library class": "pd.Series.median = pd.Series.mean",
    "type of an object": "type(pd.DataFrame()).equals = lambda a, b: True",
    "builtin type": "str.__eq__ = lambda a, b: True",
    "builtins": "import builtins\nbuiltins.sorted = lambda x, **k: list(x)",
    "__builtins__": "__builtins__.len = lambda x: 0",
    "code object": "def f(): pass\nf.__code__ = (lambda: 1).__code__",
    "string-built attribute": "getattr(f, '__glob' + 'als__')",
    "frames": "import sys\nsys._getframe(1).f_locals",
    "inspect stack": "import inspect\ninspect.stack()",
    "kit": "import mlchallenge.kernel.emit as e\ne.encode = None",
    "exec": "exec('x = 1')",
    "globals write": "globals()['impute'] = None",
    "setattr on a module": "setattr(np, 'log', None)",
    "alias": "x = np\nx.log = 1",
    "inside a cell magic": "%%time\nnp.log = 1",
    "%run": "%run helper.py",
    "gc objects": "import gc\ngc.get_objects()",
    "ctypes": "import ctypes",
    "sys.modules": "import sys\nsys.modules['numpy'] = None",
    "importlib": "import importlib\nimportlib.import_module('os')",
    "module namespace": "np.__dict__['log'] = np.sqrt",
    "object.__setattr__": "object.__setattr__(np, 'log', np.sqrt)",
    "subclass walk": "().__class__.__base__.__subclasses__()",
    "stack through another module": "import os\nos.sys._getframe(0)",
    "hand-built function": "import types\nf = types.FunctionType(g.__code__, {})",
    "the kit through a hidden test's name": "import inspect\ninspect.getmodule(emit).encode = None",
    "a hidden test's emit": "emit.__wrapped__ = None",
    "modules in a loop": "import sklearn.metrics\nfor _m in (sklearn.metrics, np):\n"
                         "    setattr(_m, 'roc_auc_score', None)",
    "attribute alias": "_linalg = np.linalg\n_linalg.norm = None",
}


@pytest.mark.parametrize("source", ORDINARY)
def test_ordinary_code_is_not_flagged(source):
    assert tampering(notebook(source)) == []


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_reaching_into_the_machinery_is_flagged_with_its_line(name):
    findings = tampering(notebook("x = 1", ATTACKS[name]))
    assert findings, name
    assert all(f.cell == "task1" for f in findings)


def _attempt_notebooks(assignment: str):
    source = ROOT / "source" / assignment
    for attempt in catalogue(SUBMISSIONS, assignment):
        for release_nb in sorted((ROOT / "release" / assignment).glob("*.ipynb")):
            yield attempt, build_notebook(attempt, source / release_nb.name, release_nb)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_honest_attempt_of_the_catalogue_is_flagged(assignment):
    """A flag is an accusation: the gate and the task rules are run over every attempt that is
    not a trick (reference, blank, alternatives, mistakes) and flag none of them for tampering;
    no rule falls on the reference or a sound alternative."""
    manifest = tomllib.loads((ROOT / "source" / assignment / "manifest.toml").read_text(encoding="utf-8"))
    rules = rules_from_manifest(manifest)
    for attempt, nb in _attempt_notebooks(assignment):
        if attempt.kind == "trick":
            continue
        assert tampering(nb) == [], f"{attempt.name}: {[str(f) for f in tampering(nb)]}"
        if attempt.kind in ("reference", "alternative", "blank"):
            assert breaches(nb, rules) == [], f"{attempt.name}: {[str(b) for b in breaches(nb, rules)]}"


def _similar_cells(assignment: str, attempt, against) -> list[tuple[str, str, float]]:
    """(cell, other, percent) for each cell ``attempt`` rewrote that the report's similarity
    finds at or above its threshold in the reference or one of ``against`` (attempts)."""
    names = sorted(p.name for p in (ROOT / "source" / assignment).glob("*.ipynb"))
    starter = {g: c for n in names
               for g, c in similarity.solution_cells(ROOT / "release" / assignment / n).items()}
    reference = {g: c for n in names
                 for g, c in similarity.solution_cells(ROOT / "source" / assignment / n).items()}
    comparer = similarity.Comparer(starter)
    found = []
    for cell, code in attempt.cells.items():
        for other, theirs in [("reference", reference.get(cell))] + [
                (a.name, a.cells.get(cell)) for a in against if a.name != attempt.name]:
            result = comparer.compare(cell, code, theirs, similarity.DEFAULT_THRESHOLD) if theirs else None
            if result and result[0] >= similarity.DEFAULT_THRESHOLD:
                found.append((cell, other, result[0]))
    return found


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_sound_alternative_looks_copied(assignment):
    """The report's similarity on honest, independent work: no cell a sound alternative rewrote
    is found, at the default threshold, in the reference or in another sound alternative."""
    attempts = catalogue(SUBMISSIONS, assignment)
    alternatives = [a for a in attempts if a.kind == "alternative"]
    for attempt in alternatives:
        assert _similar_cells(assignment, attempt, alternatives) == [], attempt.name


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_trick_of_the_catalogue_shows_the_flag_it_declares(assignment):
    """Every catalogued trick declares what the grading process flags in it (``# flag:
    tampering`` for the integrity gate, ``# flag: rule`` for a task's rule, ``# flag:
    similarity`` for code the report finds elsewhere, ``# flag: held`` for a model held when it
    is scored), and shows exactly
    that: the classes of attack each challenge holds are flagged as they should be, and a trick
    that only gives wrong answers (objects equal to anything, caches, unfitted searches) is
    flagged for nothing, losing its points to the verdicts instead."""
    manifest = tomllib.loads((ROOT / "source" / assignment / "manifest.toml").read_text(encoding="utf-8"))
    rules = rules_from_manifest(manifest)
    tricks = 0
    others = [a for a in catalogue(SUBMISSIONS, assignment) if a.kind not in ("reference", "blank")]
    for attempt, nb in _attempt_notebooks(assignment):
        if attempt.kind != "trick":
            continue
        tricks += 1
        shown = {"tampering"} if tampering(nb) else set()
        shown |= {"rule"} if breaches(nb, rules) else set()
        # the report's similarity: code found in the reference or another catalogued attempt
        shown |= {"similarity"} if _similar_cells(assignment, attempt, others) else set()
        # "held" is decided when the model is scored, "leakage" by the report from the verdicts'
        # messages, "renamed" from the refit with renamed categories (tests/test_challenges.py
        # checks all three)
        assert shown == set(attempt.flags) - {"held", "leakage", "renamed"}, attempt.name
    assert tricks >= 2, f"{assignment} should catalogue at least two tricks"


# ---------------------------------------------------------------------------
# task rules

RULES = rules_from_manifest({"rules": {"task1": {
    "forbid": ["sklearn", "scipy"], "tests": ["test-task1"], "why": "from scratch"}}})


def test_a_library_in_a_from_scratch_task_breaks_its_rule():
    direct = notebook("x = 1", "from sklearn.neighbors import KNeighborsClassifier\ndef knn(X, y):\n"
                               "    return KNeighborsClassifier().fit(X, y)")
    assert {b.module for b in breaches(direct, RULES)} == {"sklearn"}
    through_setup = notebook("x = 1", "def fit(X, y):\n    return LogisticRegression().fit(X, y)")
    assert [b.line for b in breaches(through_setup, RULES)] == [2]
    through_helper = notebook("import scipy.spatial\ndef dist(a, b):\n"
                              "    return scipy.spatial.distance.cdist(a, b)",
                              "def knn(a, b):\n    return dist(a, b)")
    found = breaches(through_helper, RULES)
    assert found and "through dist" in found[0].module


def test_a_rule_can_forbid_one_package_of_a_library():
    rules = rules_from_manifest({"rules": {"task1": {
        "forbid": ["sklearn.model_selection"], "tests": ["test-task1"], "why": "cross-validation by hand"}}})
    allowed = notebook("x = 1", "from sklearn.base import clone\nfrom sklearn.metrics import get_scorer\n"
                                "def cross_val(model, X, y):\n    return clone(model), get_scorer('roc_auc')")
    assert breaches(allowed, rules) == []
    for source in ("from sklearn.model_selection import cross_val_score\ndef cv(m, X, y):\n"
                   "    return cross_val_score(m, X, y)",
                   "import sklearn.model_selection\ndef cv(m, X, y):\n"
                   "    return sklearn.model_selection.cross_val_score(m, X, y)",
                   "from sklearn import model_selection as ms\ndef cv(m, X, y):\n"
                   "    return ms.cross_val_score(m, X, y)"):
        found = breaches(notebook("x = 1", source), rules)
        assert {b.module for b in found} == {"sklearn.model_selection"}, source


def test_a_name_a_function_binds_itself_is_not_the_library_the_notebook_imported():
    """``clone = dict(params)`` inside a function is the candidate's own copy, though the
    notebook imported sklearn's ``clone`` elsewhere; a use of the imported one still breaks."""
    setup = "from sklearn.base import clone\nfrom scipy.special import logsumexp"
    own = notebook(setup, "def train(params, logsumexp=None):\n    clone = dict(params)\n"
                          "    return clone, logsumexp")
    assert breaches(own, RULES) == []
    for source in ("def train(params):\n    return clone(params)",
                   "clone = clone\ndef train(params):\n    return clone(params)",
                   "def train(params):\n    global clone\n    return clone(params)"):
        assert {b.module for b in breaches(notebook(setup, source), RULES)} == {"sklearn"}, source


def test_numpy_and_the_standard_library_keep_a_from_scratch_task_clean():
    honest = notebook("x = 1", "import collections, math\nimport numpy as np\n"
                               "def knn(X, y):\n"
                               "    return collections.Counter(y).most_common(1), math.sqrt(2), np.sum(X)")
    assert breaches(honest, RULES) == []


def test_a_malformed_rules_table_says_what_is_missing():
    with pytest.raises(ValueError, match="tests"):
        rules_from_manifest({"rules": {"knn": {"forbid": ["sklearn"], "why": "x"}}})


def test_release_notebooks_never_hold_a_judge_or_emit_spec(course):
    for assignment in ASSIGNMENTS:
        assert not (ROOT / "release" / assignment / "judges.py").exists()
        for path in (ROOT / "release" / assignment).glob("*.ipynb"):
            text = nbformat.read(path, as_version=4)
            assert not any("emit(" in c.source for c in text.cells), path


# ---------------------------------------------------------------------------
# short answers: one rule for every question


@pytest.mark.parametrize(("spellings", "canonical"), [
    (["SVM", "SVMs", "svc", "LinearSVC", "Support-Vector Machines", "the support vector machine",
      "support vector classifier"], "support vector machine"),
    (["logistic regression", "LogisticRegression", "Logistic-Regression model", "logit",
      "a logistic regression"], "logistic regression"),
    (["decision tree", "a decision tree", "DecisionTreeClassifier", "trees", "the tree", "CART"],
     "decision tree"),
    (["forest", "Random Forests", "RandomForestClassifier", "a random forest", "RF"], "random forest"),
    (["k-means", "KMeans", "k means"], "k means"),
    (["naive Bayes", "GaussianNB", "Naive-Bayes"], "naive bayes"),
    (["variance", "high variance", "Higher variance.", "VARIANCE"], "variance"),
    (["bias", "high bias", "more bias"], "bias"),
    (["unsupervised", "unsupervised learning", "Unsupervised-Learning"], "unsupervised"),
])
def test_short_answers_are_judged_on_what_they_name(spellings, canonical):
    from mlchallenge.judging.answers import normalise_answer

    assert {normalise_answer(s) for s in spellings} == {canonical}


def test_every_spelling_the_old_keys_took_is_still_right_and_every_other_offered_word_wrong():
    """model-tradeoffs keeps one key per question; the spellings its earlier keys accepted still
    pass, and each question still accepts exactly one of the words it offers."""
    import importlib.util

    from mlchallenge.judging.answers import answer_digest

    path = ROOT / "source" / "model-tradeoffs" / "judges.py"
    spec = importlib.util.spec_from_file_location("tradeoffs_judges", path)
    judges = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(judges)
    accepted = judges.ACCEPTED
    earlier = {"learning-kind": ["unsupervised", "unsupervised learning"],
               "deep-tree": ["variance", "high variance"],
               "penalty-direction": ["bias", "high bias", "higher bias"],
               "margin-family": ["support vector machine", "support vector machines", "svm", "svms", "svc",
                                 "support vector classifier", "support-vector machine"],
               "calibrated": ["logistic regression"],
               "extrapolation": ["decision tree", "tree", "decision trees", "trees"],
               "overfits-with-depth": ["decision tree", "tree", "the tree"]}
    for question, spellings in earlier.items():
        for spelling in spellings:
            assert answer_digest(question, spelling) in accepted[question], (question, spelling)
        offered = [w for w in judges.OFFERED[question] if answer_digest(question, w) in accepted[question]]
        assert len(offered) == 1, (question, offered)
    assert answer_digest("calibrated", "the SVM") not in accepted["calibrated"]
    assert answer_digest("overfits-with-depth", "random forests") not in accepted["overfits-with-depth"]
