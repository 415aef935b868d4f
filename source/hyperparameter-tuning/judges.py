"""Judges of hyperparameter-tuning's hidden tests, run by the grading process (never by the kernel).

Each judge gets the inputs its hidden test built (the grader's own copies) and what the
candidate's function returned in the kernel, computes the expected values here, and raises
``Wrong`` with a teaching message or returns the fraction of the points earned.

A search handed back as "fitted" is shown to have run: the judge rebuilds it from its emitted
class and parameters (a stock scikit-learn object, built here), fits it on the same rows and
compares what the candidate's search reported (cv_results_, best_params_, best_estimator_).
The test-set discipline is judged on the returned model refitted here from its parameters on
the development rows alone, which no test label can reach.

``compare.rebuild`` cannot rebuild what emit could only name: the column selectors of
make_model(), OneHotEncoder's ``dtype=np.float64`` (a class) and scipy distributions. The
hidden parts therefore also emit those as data ("leaves", by their path in the parameters)
and ``_restore`` puts them back, from an allow-list (numpy / builtins classes,
``make_column_selector``, ``scipy.stats`` distributions with numeric arguments).
"""

import importlib
import warnings

import numpy as np
import scipy.stats
from sklearn.base import clone
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from mlchallenge.judging import SpecError, Wrong, compare, judge, memo
from mlchallenge.judging.codec import EstimatorSpec, Opaque

SEARCHES = "sklearn.model_selection._search."
HALVING = "sklearn.model_selection._search_successive_halving."
GRID = SEARCHES + "GridSearchCV"
RANDOM = SEARCHES + "RandomizedSearchCV"
HALVING_CLASSES = (HALVING + "HalvingGridSearchCV", HALVING + "HalvingRandomSearchCV")
PIPELINE = "sklearn.pipeline.Pipeline"
POSITIVE = "bad"


def _contract_cv():
    """The notebook's ``cv``: the folds every search uses."""
    return StratifiedKFold(n_splits=5, shuffle=True, random_state=0)


def _make_model():
    """The notebook's make_model(), built here."""
    numbers = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    text = make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore"))
    return make_pipeline(
        make_column_transformer(
            (numbers, make_column_selector(dtype_include="number")),
            (text, make_column_selector(dtype_exclude="number")),
        ),
        LogisticRegression(max_iter=1000),
    )


# ---------------------------------------------------------------------------
# Rebuilding what the kernel could only name


def _plain_dtypes(value) -> bool:
    if value is None or isinstance(value, str):
        return True
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _leaf(description, path: str):
    """The object a described leaf stands for, from the allow-list, or None."""
    if not isinstance(description, dict):
        return None
    kind = description.get("kind")
    if kind == "type":
        module, name = description.get("module"), description.get("name")
        if module in ("numpy", "builtins") and isinstance(name, str) and name.isidentifier():
            value = getattr(importlib.import_module(module), name, None)
            return value if isinstance(value, type) else None
    elif kind == "selector":
        pattern = description.get("pattern")
        include, exclude = description.get("dtype_include"), description.get("dtype_exclude")
        plain = _plain_dtypes(include) and _plain_dtypes(exclude)
        if (pattern is None or isinstance(pattern, str)) and plain:
            return make_column_selector(pattern=pattern, dtype_include=include, dtype_exclude=exclude)
    elif kind == "distribution":
        name = description.get("name")
        dist = getattr(scipy.stats, name, None) if isinstance(name, str) and name.isidentifier() else None
        args, kwds = description.get("args"), description.get("kwds")
        numbers = (int, float, np.integer, np.floating)
        known = isinstance(dist, scipy.stats.rv_continuous | scipy.stats.rv_discrete)
        if known and isinstance(args, list) and isinstance(kwds, dict) \
                and all(isinstance(a, numbers) for a in [*args, *kwds.values()]) \
                and all(isinstance(k, str) for k in kwds):
            try:
                return dist(*args, **kwds)
            except Exception:  # noqa: BLE001 - arguments the distribution refuses
                return None
    return None


def _restore(value, leaves: dict, path: str = ""):
    """``value`` (decoded) with each named-only leaf replaced by the object it describes."""
    if isinstance(value, EstimatorSpec):
        params = {k: _restore(v, leaves, f"{path}/{k}") for k, v in value.params.items()}
        return EstimatorSpec(value.cls, params)
    if isinstance(value, list):
        return [_restore(v, leaves, f"{path}/{i}") for i, v in enumerate(value)]
    if isinstance(value, tuple):
        return tuple(_restore(v, leaves, f"{path}/{i}") for i, v in enumerate(value))
    if isinstance(value, dict):
        return {k: _restore(v, leaves, f"{path}/{k}") for k, v in value.items()}
    if isinstance(value, Opaque):
        restored = _leaf(leaves.get(path), path)
        if restored is not None:
            return restored
        if path.endswith("/scoring") or path == "/scoring":
            # a scorer object: rerun with ROC AUC; the comparison then shows whether it was
            return "roc_auc"
    return value


def _quiet(estimator):
    """No parallel workers and no cache folders in the grading process."""
    names = estimator.get_params(deep=True)
    estimator.set_params(**{n: 1 for n in names if n == "n_jobs" or n.endswith("__n_jobs")})
    estimator.set_params(**{n: None for n in names if n == "memory" or n.endswith("__memory")})
    return estimator


def _rebuild(spec, leaves: dict, what: str):
    leaves = leaves if isinstance(leaves, dict) else {}
    estimator = compare.rebuild(_restore(spec, leaves))
    try:
        return _quiet(estimator)
    except Exception as exc:  # noqa: BLE001 - parameters scikit-learn refuses
        raise Wrong(f"{what} cannot be rebuilt from its parameters ({type(exc).__name__}: {exc})") from None


def _fit_quietly(estimator, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimator.fit(X, y)


def _fit(estimator, X, y, what: str):
    """``estimator`` fitted on X, y (once per grading process for the same estimator and rows:
    many submissions hand back the same search)."""
    try:
        return memo.once(_fit_quietly, estimator, X, y)
    except Exception as exc:  # noqa: BLE001 - the candidate's parameters do not fit
        raise Wrong(f"{what} fails when the grader fits it again from its parameters "
                    f"({type(exc).__name__}: {exc})") from None


def _positive_column(classes, proba, what: str) -> np.ndarray:
    classes = list(classes) if isinstance(classes, list | tuple | np.ndarray) else []
    proba = compare.float_array(proba, what)
    if proba.ndim != 2 or proba.shape[1] != len(classes) or POSITIVE not in classes:
        raise Wrong(f"{what} should give one column per class, the classes being 'good' and 'bad'")
    return proba[:, classes.index(POSITIVE)]


def _same_value(a, b) -> bool:
    numbers = (int, float, np.integer, np.floating)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool | np.bool_):
        return bool(np.isclose(float(a), float(b), rtol=1e-9, atol=1e-12))
    if isinstance(a, EstimatorSpec) or isinstance(b, EstimatorSpec):
        return a == b
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001
        return False


def _same_params(got, want) -> bool:
    if not isinstance(got, dict) or set(got) != set(want):
        return False
    return all(_same_value(got[k], want[k]) for k in want)


# ---------------------------------------------------------------------------
# Searches


def _report(case, key: str, label: str) -> dict:
    report = case.returned(key)
    if not isinstance(report, dict) or not isinstance(report.get("search"), EstimatorSpec):
        raise Wrong(f"{label} should return a fitted search object")
    return report


def _pipeline_of(spec: EstimatorSpec, message: str) -> EstimatorSpec:
    estimator = spec.params.get("estimator")
    if not isinstance(estimator, EstimatorSpec) or estimator.cls != PIPELINE:
        raise Wrong(message)
    return estimator


def _final_step(pipeline: EstimatorSpec) -> str:
    steps = pipeline.params.get("steps")
    if not isinstance(steps, list) or not steps or not isinstance(steps[-1], tuple | list):
        raise Wrong("the searched pipeline has no steps")
    return str(steps[-1][0])


def _tuned_names(report: dict) -> set:
    params = report["cv_results"].get("params") if isinstance(report.get("cv_results"), dict) else None
    if not isinstance(params, list) or not all(isinstance(p, dict) for p in params):
        raise Wrong("the search's cv_results_ has no list of the candidates' params")
    return set().union(*(p.keys() for p in params)) if params else set()


def _cv_scores(estimator, X, y) -> tuple[float, float, float]:
    """ROC AUC and accuracy over the notebook's folds, and ROC AUC over other folds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = cross_validate(estimator, X, y, cv=_contract_cv(), scoring=["roc_auc", "accuracy"])
        other_folds = float(cross_val_score(estimator, X, y, cv=5, scoring="roc_auc").mean())
    return float(scores["test_roc_auc"].mean()), float(scores["test_accuracy"].mean()), other_folds


def _check_scored_on_cv(report: dict, X, y) -> None:
    """best_score_ is the ROC AUC over the notebook's folds of the candidate the search chose."""
    spec = report["search"]
    leaves = {k[len("/estimator"):]: v for k, v in report["leaves"].items() if k.startswith("/estimator/")}
    best = _rebuild(spec.params["estimator"], leaves, "the searched pipeline")
    best_params = report.get("best_params")
    if not isinstance(best_params, dict):
        raise Wrong("the search's best_params_ should be a dict of the chosen hyperparameters")
    try:
        best.set_params(**best_params)
    except Exception:  # noqa: BLE001
        raise Wrong("the search's best_params_ are not parameters of the searched pipeline") from None
    again, accuracy, other_folds = memo.once(_cv_scores, best, X, y)
    # the wrong answers this check exists for: the default scoring (accuracy), other folds
    if abs(again - accuracy) < 1e-6 or abs(again - other_folds) < 1e-6:
        raise SpecError("hyperparameter-tuning: the scoring check cannot tell accuracy or other folds "
                        "from ROC AUC over cv on its data")
    score = compare.number(report.get("best_score"), "best_score_")
    if abs(score - again) >= 1e-6:
        raise Wrong("the search's scores are not ROC AUC over the folds cv defined above: set "
                    "scoring='roc_auc' and cv=cv")


def _check_ran(report: dict, X, y, label: str):
    """Rebuild the search, fit it here on the same rows, compare what it reports."""
    message = (f"the search {label} returned did not produce its own results: its cv_results_, "
               "best_params_ or best_estimator_ differ from what fitting it on X, y gives; fit the "
               "search and return it")
    if isinstance(report["search"].params.get("scoring"), Opaque):
        message += " (its scorer object was taken for ROC AUC: score by ROC AUC)"
    search = _fit(_rebuild(report["search"], report["leaves"], "the search"), X, y, "the search")
    results = report.get("cv_results")
    if not isinstance(results, dict):
        raise Wrong(message)
    got_params = results.get("params")
    want_params = search.cv_results_["params"]
    if not isinstance(got_params, list) or len(got_params) != len(want_params) or \
            not all(_same_params(g, w) for g, w in zip(got_params, want_params, strict=True)):
        raise Wrong(message)
    keys = ["mean_test_score"] + [k for k in search.cv_results_
                                  if k.startswith("split") and k.endswith("_test_score")]
    for key in keys:
        if key not in results or \
                not compare.is_close(results[key], search.cv_results_[key], rtol=1e-6, atol=1e-6):
            raise Wrong(message)
    if not _same_params(report.get("best_params"), search.best_params_):
        raise Wrong(message)
    best_score = compare.number(report.get("best_score"), "best_score_")
    if not compare.is_close([best_score], [search.best_score_], rtol=1e-6, atol=1e-6):
        raise Wrong(message)
    if "best_error" in report:
        raise Wrong(f"the best_estimator_ of the search {label} returned cannot score the raw rows "
                    f"({report['best_error']}): search the whole pipeline")
    got = _positive_column(report.get("best_classes"), report.get("best_proba"),
                           "best_estimator_.predict_proba")
    refitted = search.best_estimator_
    want = refitted.predict_proba(X)[:, list(refitted.classes_).index(POSITIVE)]
    if not compare.is_close(got, want, rtol=1e-5, atol=1e-6):
        raise Wrong(f"the best_estimator_ of the search {label} returned is not the chosen candidate "
                    "refitted on all of X (refit=True)")
    return search


@judge("test-grid")
def grid(case):
    _, X, y = case.args("grid")
    report = _report(case, "grid", "grid_search()")
    spec = report["search"]
    if spec.cls != GRID or not report.get("fitted"):
        raise Wrong("grid_search should return a fitted GridSearchCV (refit=True)")
    pipeline = _pipeline_of(spec, "search the whole pipeline on the raw rows: preprocessing fitted before "
                                  "the search sees every fold's validation rows")
    final = _final_step(pipeline)
    names = _tuned_names(report)
    assert 4 <= len(report["cv_results"]["params"]) <= 12, "the grid should hold 4 to 12 combinations"
    assert any(n.startswith(final + "__") for n in names), \
        "tune at least one hyperparameter of the model (its step__param name)"
    assert any(not n.startswith(final + "__") for n in names), \
        "tune at least one hyperparameter of a preprocessing step as well (its step__param name)"
    _check_scored_on_cv(report, X, y)
    _check_ran(report, X, y, "grid_search()")


@judge("test-random")
def random(case):
    _, X, y = case.args("random")
    report = _report(case, "random", "random_search()")
    spec = report["search"]
    if spec.cls != RANDOM or not report.get("fitted"):
        raise Wrong("random_search should return a fitted RandomizedSearchCV (refit=True)")
    _pipeline_of(spec, "search the whole pipeline from make_model() on the raw rows")
    n_iter = spec.params.get("n_iter")
    assert isinstance(n_iter, int | np.integer) and n_iter <= 10, \
        f"the budget is 10 candidates; n_iter is {n_iter}"
    spaces = _restore(spec, report["leaves"]).params.get("param_distributions")
    spaces = spaces if isinstance(spaces, list) else [spaces]
    # continuous: a scipy.stats continuous distribution (rebuilt from the spec); an object with
    # .rvs alone is not one (randint has it too)
    assert any(isinstance(getattr(v, "dist", None), scipy.stats.rv_continuous)
               for space in spaces if isinstance(space, dict) for v in space.values()), \
        "draw at least one hyperparameter from a continuous distribution (such as " \
        "scipy.stats.loguniform), not only from lists or discrete distributions (randint)"
    random_state = spec.params.get("random_state")
    assert isinstance(random_state, int | np.integer) and not isinstance(random_state, bool), \
        "give the search a fixed integer random_state so it draws the same candidates every run"
    _check_scored_on_cv(report, X, y)
    _check_ran(report, X, y, "random_search()")


@judge("test-halving")
def halving(case):
    _, X, y = case.args("halving")
    report = _report(case, "halving", "halving_search()")
    spec = report["search"]
    if spec.cls not in HALVING_CLASSES or not report.get("fitted") or "n_resources_" not in report:
        raise Wrong("halving_search should return a fitted HalvingGridSearchCV or HalvingRandomSearchCV")
    _pipeline_of(spec, "search the whole pipeline from make_model() on the raw rows")
    candidates = compare.float_array(report.get("n_candidates_"), "n_candidates_")
    assert candidates.size and candidates[0] >= 8, "start with at least 8 candidates"
    assert compare.number(report.get("n_iterations_"), "n_iterations_") >= 2, \
        "run at least 2 rounds: lower min_resources so the first round uses few rows"
    # "roc_auc", or a scorer object: the search is refitted with ROC AUC below (_check_ran), so a
    # scorer that is not ROC AUC shows in its results
    scoring = spec.params.get("scoring")
    assert scoring == "roc_auc" or isinstance(scoring, Opaque), \
        "score the candidates by ROC AUC (scoring='roc_auc', or an equivalent scorer)"
    random_state = spec.params.get("random_state")
    assert isinstance(random_state, int | np.integer) and not isinstance(random_state, bool), \
        "give the search a fixed integer random_state so its draws and subsamples are the same every run"
    search = _check_ran(report, X, y, "halving_search()")
    if not compare.is_close(candidates, search.n_candidates_) or \
            not compare.is_close(report.get("n_resources_"), search.n_resources_):
        raise Wrong("the search halving_search() returned did not produce its own rounds: fit the search "
                    "and return it")


# ---------------------------------------------------------------------------
# Nested cross-validation


def _nested_truth(search, X, y, outer) -> tuple[float, float]:
    """The search's inner best score, and the nested estimate of it on the outer folds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inner = float(clone(search).fit(X, y).best_score_)
        want = float(cross_val_score(clone(search), X, y, cv=outer, scoring="roc_auc").mean())
    return inner, want


@judge("test-nested")
def nested(case):
    _, search, X, y, outer = case.args("nested")
    report = case.returned("nested")
    if not isinstance(report, dict):
        raise Wrong("nested_cv_estimate should return a float")
    value = compare.number(report.get("estimate"), "the estimate")
    inner, want = memo.once(_nested_truth, search, X, y, outer)
    # the wrong answer this test exists for: the inner best score
    if abs(inner - want) <= 1e-6:
        raise SpecError("test-nested: the inner best score equals the nested estimate on the probe's data")
    assert abs(value - inner) > 1e-9, \
        "this is the search's inner best score: it chose the candidate, so it is optimistic; score the " \
        "whole search on the outer folds instead"
    compare.allclose([value], [want], "the estimate should be the mean outer-fold ROC AUC of the whole "
                                      "search, refitted on each outer training part", what="the estimate")
    assert report.get("search_fitted") is False, \
        "nested_cv_estimate should not fit the search passed in: clone it"


# ---------------------------------------------------------------------------
# Test-set discipline


def _leaky_choices(dX, dy, tX, ty) -> tuple:
    """The mistake the flip exists for: C chosen by the ROC AUC on the test rows, with the
    true and with the flipped test labels (once per grading process)."""
    return memo.once(_leaky_choices_now, dX, dy, tX, ty)


def _leaky_choices_now(dX, dy, tX, ty) -> tuple:
    flipped = ty.map({"good": "bad", "bad": "good"})
    scores = {"true": [], "flipped": []}
    grid = [0.001, 0.01, 0.1, 1.0, 10.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for c in grid:
            model = _make_model().set_params(logisticregression__C=c).fit(dX, dy)
            p = model.predict_proba(tX)[:, list(model.classes_).index(POSITIVE)]
            scores["true"].append(roc_auc_score(ty == POSITIVE, p))
            scores["flipped"].append(roc_auc_score(flipped == POSITIVE, p))
    return grid[int(np.argmax(scores["true"]))], grid[int(np.argmax(scores["flipped"]))]


def _discipline_call(case, key: str) -> tuple[dict, np.ndarray]:
    """The call's report, and its model's test-row scores checked against the model's
    parameters refitted here on the development rows alone."""
    _, dX, dy, tX, ty = case.args(key)
    report = case.returned(key)
    if not isinstance(report, dict) or not report.get("pair"):
        raise Wrong("tune_and_evaluate should return a pair: the fitted model first, then its test ROC AUC")
    if "error" in report:
        raise Wrong(f"the model returned cannot give probabilities for the test rows ({report['error']})")
    if not report.get("has_proba") or not isinstance(report.get("model"), EstimatorSpec):
        raise Wrong("return the fitted model first, then its test ROC AUC")
    got = _positive_column(report.get("classes"), report.get("proba"), "the model's predict_proba")
    model = report["model"]
    leaves = report.get("leaves") or {}
    deterministic = not (model.cls.startswith((SEARCHES, HALVING)) and model.cls != GRID
                         and not isinstance(model.params.get("random_state"), int | np.integer))
    if not deterministic and isinstance(report.get("final"), EstimatorSpec):
        model, leaves = report["final"], report.get("final_leaves") or {}
    refit = _fit(_rebuild(model, leaves, "the returned model"), dX, dy, "the returned model")
    want = refit.predict_proba(tX)[:, list(refit.classes_).index(POSITIVE)]
    if not compare.is_close(got, want, rtol=1e-5, atol=1e-6):
        raise Wrong("the model you hand back is not its pipeline fitted on the development rows passed in "
                    "(and only those): choose by cross-validation on the development rows, refit there, "
                    "and use the test rows only to report")
    auc = compare.number(report.get("test_auc"), "test_auc")
    compare.allclose([auc], [roc_auc_score(ty == POSITIVE, want)],
                     "test_auc should be the returned model's ROC AUC on the test rows", rtol=0, atol=1e-9,
                     what="test_auc")
    return report, got


@judge("test-discipline")
def discipline(case):
    _, dX, dy, tX, ty = case.args("labels")
    honest, leaky_flipped = _leaky_choices(dX, dy, tX, ty)
    if honest == leaky_flipped:
        raise SpecError("test-discipline: choosing by the test labels gives the same model with flipped "
                        "labels on the probe's data: the flip is blind")
    _discipline_call(case, "other-rows")
    _, first = _discipline_call(case, "labels")
    _, second = _discipline_call(case, "flipped")
    compare.allclose(second, first, "the model you hand back changed when only the test labels changed: "
                                    "the test labels leaked into choosing or fitting it; choose by "
                                    "cross-validation on the development rows, refit there, and use the test "
                                    "rows only to report",
                     rtol=1e-5, atol=1e-6, what="the model's predictions")
