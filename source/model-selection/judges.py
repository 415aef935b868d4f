"""Judges of model-selection's hidden tests, run by the grading process (never by the kernel).

Each judge gets the inputs its hidden test built (the grader's own copies) and what the
candidate's function returned in the kernel, computes the expected values here with the
grader's own numpy / pandas / scikit-learn, and raises ``Wrong`` with a teaching message or
returns the fraction of the points earned. Where a test exists to catch a particular wrong
answer, the judge computes that wrong answer too and stops with ``SpecError`` if the test's data
cannot tell it from the right one (a probe gone blind).
"""

import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from mlchallenge.judging import SpecError, Wrong, compare, judge
from mlchallenge.judging.codec import EstimatorSpec
from mlchallenge.kernel.emit import fingerprint

# ---------------------------------------------------------------------------
# Task 1: stratified k-fold


def _positions(value, n_rows: int, what: str, *, in_range: bool = True) -> np.ndarray:
    """``value`` as a 1-D array of integer row positions (0..n_rows-1 when ``in_range``)."""
    if not isinstance(value, np.ndarray | list | tuple):
        raise Wrong(f"{what} should be a 1-D numpy array of integer row positions")
    array = np.asarray(value)
    if array.size == 0:
        array = array.astype(int)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise Wrong(f"{what} should be a 1-D numpy array of integer row positions")
    if in_range and array.size and (array.min() < 0 or array.max() >= n_rows):
        raise Wrong(f"{what} holds values outside the row positions: return positions (for .iloc), "
                    "not index labels")
    return array


def _folds(value, n_rows: int, n_splits: int, *, in_range: bool = True) -> list:
    """The candidate's folds as (train, test) position arrays, or ``Wrong``."""
    if not isinstance(value, list | tuple):
        raise Wrong("return a list of (train_idx, test_idx) pairs")
    if len(value) != n_splits:
        raise Wrong("return one (train_idx, test_idx) pair per fold: as many pairs as n_splits")
    pairs = []
    for k, pair in enumerate(value):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise Wrong(f"fold {k} should be a (train_idx, test_idx) pair")
        pairs.append((_positions(pair[0], n_rows, f"train_idx of fold {k}", in_range=in_range),
                      _positions(pair[1], n_rows, f"test_idx of fold {k}", in_range=in_range)))
    return pairs


def _check_partition(pairs: list, n_rows: int) -> None:
    counts = np.zeros(n_rows, dtype=int)
    for k, (train, test) in enumerate(pairs):
        np.add.at(counts, test, 1)
        if len(np.unique(test)) != len(test) or len(np.unique(train)) != len(train):
            raise Wrong(f"fold {k} lists a row more than once")
        if np.intersect1d(train, test).size:
            raise Wrong(f"fold {k} has rows in both train_idx and test_idx")
        if len(train) + len(test) != n_rows:
            raise Wrong(f"fold {k}: train_idx and test_idx together should cover all the rows")
    if (counts != 1).any():
        raise Wrong("the test folds should partition the rows: every row in exactly one test fold")


def _stratification_error(pairs: list, labels: np.ndarray, n_splits: int) -> str | None:
    """Why the folds are not stratified, or None."""
    for label in pd.unique(labels):
        n = int((labels == label).sum())
        low, high = n // n_splits, -(-n // n_splits)
        for k, (_, test) in enumerate(pairs):
            held = int((labels[test] == label).sum())
            if not low <= held <= high:
                return (f"test fold {k} holds {'too many' if held > high else 'too few'} rows of class "
                        f"{label!r}: a stratified split spreads each class evenly over the folds "
                        "(n // n_splits or one more per fold)")
    return None


def _reference_folds(y, n_splits: int, seed: int) -> list:
    """The notebook's reference: each class shuffled and dealt round-robin."""
    labels = np.asarray(y)
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(labels), dtype=int)
    offset = 0
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        rng.shuffle(members)
        fold_of[members] = (offset + np.arange(len(members))) % n_splits
        offset += len(members)
    positions = np.arange(len(labels))
    return [(positions[fold_of != k], positions[fold_of == k]) for k in range(n_splits)]


def _same_folds(a: list, b: list) -> bool:
    return len(a) == len(b) and all(
        np.array_equal(np.sort(x[1]), np.sort(z[1])) for x, z in zip(a, b, strict=True))


@judge("test-folds-partition")
def folds_partition(case):
    label_probe_caught = False
    for key in case.calls:
        y, n_splits, _ = case.args(key)
        n_rows = len(y)
        _check_partition(_folds(case.returned(key), n_rows, n_splits), n_rows)
        # the wrong answer this test is there for: the Series' index labels instead of positions
        if isinstance(y, pd.Series):
            labelled = [(y.index.to_numpy()[tr], y.index.to_numpy()[te])
                        for tr, te in _reference_folds(y, n_splits, 0)]
            try:
                _check_partition(_folds(labelled, n_rows, n_splits), n_rows)
            except Wrong:
                label_probe_caught = True
    if not label_probe_caught:
        raise SpecError("test-folds-partition: no case tells index labels from positions")


@judge("test-folds-stratified")
def folds_stratified(case):
    unstratified_caught = False
    for key in case.calls:
        y, n_splits, seed = case.args(key)
        labels = np.asarray(y)
        pairs = _folds(case.returned(key), len(labels), n_splits)
        error = _stratification_error(pairs, labels, n_splits)
        if error:
            raise Wrong(error)
        # the wrong answer this test is there for: all rows shuffled together and cut into k chunks
        order = np.random.default_rng(seed).permutation(len(labels))
        everything = np.arange(len(labels))
        chunks = [(np.setdiff1d(everything, c), np.sort(c)) for c in np.array_split(order, n_splits)]
        if _stratification_error(chunks, labels, n_splits):
            unstratified_caught = True
    if not unstratified_caught:
        raise SpecError("test-folds-stratified: no case tells unstratified folds from stratified ones")


@judge("test-folds-seed")
def folds_seed(case):
    y, n_splits, _ = case.args("seed-7")
    if _same_folds(_reference_folds(y, n_splits, 7), _reference_folds(y, n_splits, 8)):
        raise SpecError("test-folds-seed: seeds 7 and 8 give the same reference folds")
    # positions are not checked here (test-folds-partition does): only reproducibility
    first, other, again = (_folds(case.returned(key), len(y), n_splits, in_range=False)
                           for key in ("seed-7", "seed-8", "seed-7-again"))
    assert _same_folds(first, again), "the same seed should give the same folds"
    assert not _same_folds(first, other), \
        "another seed should give other folds: shuffle each class with np.random.default_rng(seed)"


# ---------------------------------------------------------------------------
# Task 2: cross-validation


# Expected scores by their inputs: every submission's hidden test builds the same inputs, so a
# grading process that judges many notebooks computes each once (the key holds the inputs'
# fingerprints and the model's and scorer's reprs, never anything the candidate sent).
_SCORES: dict = {}


def _describe(value):
    """A complete, hashable description of the grader's own model or scorer (a repr elides
    long parameters and names column selectors by their address)."""
    if hasattr(value, "get_params") and hasattr(value, "fit"):
        params = value.get_params(deep=False)
        return (type(value).__module__, type(value).__qualname__,
                tuple((name, _describe(params[name])) for name in sorted(params)))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_describe(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, _describe(v)) for k, v in value.items()))
    if callable(value) and hasattr(value, "__dict__") and not isinstance(value, type) and \
            type(value).__module__.startswith("sklearn."):
        return (type(value).__module__, type(value).__qualname__,
                tuple((k, _describe(v)) for k, v in sorted(vars(value).items())))
    return repr(value)


def _cached(kind: str, compute, model, X, y, folds, scoring) -> np.ndarray:
    key = (kind, _describe(model), _describe(scoring), fingerprint(X), fingerprint(y), fingerprint(folds))
    if key not in _SCORES:
        if len(_SCORES) > 64:
            _SCORES.clear()
        _SCORES[key] = np.asarray(compute(model, X, y, folds, scoring), dtype=float)
    return _SCORES[key].copy()


def _cv_uncached(model, X, y, folds, scoring) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cross_val_score(clone(model), X, y, cv=folds, scoring=scoring)


def _cv(model, X, y, folds, scoring) -> np.ndarray:
    return _cached("cv", _cv_uncached, model, X, y, folds, scoring)


def _by_labels(model, X, y, folds, scoring) -> np.ndarray:
    """The .loc mistake: the folds' positions read as index labels."""
    scores = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for train, test in folds:
            fitted = clone(model).fit(X.loc[train], y.loc[train])
            scores.append(scoring(fitted, X.loc[test], y.loc[test]))
    return np.asarray(scores, dtype=float)


@judge("test-cv-agrees")
def cv_agrees(case):
    loc_probe_caught = False
    for key in case.calls:
        model, X, y, folds, scoring = case.args(key)
        want = _cv(model, X, y, folds, scoring)
        compare.allclose(case.returned(key), want,
                         "cross_val's scores differ from cross_val_score's on the same folds: fit a clone "
                         "on each fold's training rows (by position, .iloc) and score it on its test rows",
                         what="cross_val's scores")
        if not loc_probe_caught and \
                not compare.is_close(_cached("by-labels", _by_labels, model, X, y, folds, scoring), want):
            loc_probe_caught = True
    if not loc_probe_caught:
        raise SpecError("test-cv-agrees: selecting rows by index label gives the right scores on this data")


def _numeric(X: pd.DataFrame) -> list:
    return list(X.select_dtypes("number").columns)


@judge("test-cv-clean")
def cv_clean(case):
    _, model, X, y, folds, scoring = case.args("clean")
    got = compare.mapping(case.returned("clean"), ["scores", "model_fitted"], "the hidden test's record")
    want = _cv(model, X, y, folds, scoring)
    # the wrong answers this test is there for: something learned from all rows before the split
    numeric = _numeric(X)
    scaled = X.copy()
    scaled[numeric] = (X[numeric] - X[numeric].mean()) / X[numeric].std()
    filled = X.copy()
    filled[numeric] = X[numeric].fillna(X[numeric].median())
    leaky = {name: _cv(model, leaky_X, y, folds, scoring)
             for name, leaky_X in [("scaling with all rows", scaled),
                                   ("filling gaps with all rows' medians", filled)]}
    for name, scores in leaky.items():
        if compare.is_close(scores, want):
            raise SpecError(f"test-cv-clean: {name} before the split gives the right scores on this data")
    assert got["model_fitted"] is False, \
        "cross_val should not fit the model passed in: fit a clone on each fold"
    case.unchanged("clean", "cross_val changed what it was given (the rows, the folds or the model): "
                            "hand the raw rows to a clone of the model and leave the caller's objects alone")
    scores = got["scores"]
    if not compare.is_close(scores, want):
        # say which mistake it is where the scores show it; a leak only where a leak gives them
        for name, leaked in leaky.items():
            if compare.is_close(scores, leaked, rtol=1e-4, atol=1e-6):
                raise Wrong(f"these are the scores of {name} before the split: the test rows shaped what "
                            "the model learned; keep the preprocessing inside the pipeline, fitted on each "
                            "fold's training rows")
        try:
            by_labels = _cached("by-labels", _by_labels, model, X, y, folds, scoring)
        except Exception:  # noqa: BLE001 - index labels that are not there: not this mistake
            by_labels = None
        if by_labels is not None and compare.is_close(scores, by_labels):
            raise Wrong("the folds hold row positions, but cross_val picked each fold's rows by index "
                        "label (.loc), so it trained and scored on other rows: select them with .iloc")
        values = compare.float_array(scores, "cross_val's scores")
        if values.shape == want.shape and compare.is_close(np.sort(values), np.sort(want)):
            raise Wrong("these are the right scores in another order: return one score per fold, in "
                        "the order the folds were given")
    compare.allclose(scores, want,
                     "each fold's score should come from a fresh clone fitted on that fold's raw training "
                     "rows and scored on its test rows, one score per fold in the folds' order (scaling "
                     "and filling gaps belong inside the pipeline, fitted on the fold's training rows)",
                     what="cross_val's scores")


# ---------------------------------------------------------------------------
# Task 3: comparing model families


@judge("test-compare")
def compare_table(case):
    models, X, y, folds = case.args("compare")
    table = compare.frame(case.returned("compare"), "compare_models()")
    assert {"mean", "std"} <= set(table.columns), \
        "compare_models should return a DataFrame with columns mean and std"
    want = {name: _cv(m, X, y, folds, "roc_auc") for name, m in models.items()}
    order = sorted(want, key=lambda name: -want[name].mean())
    if order == list(models):
        raise SpecError("test-compare: the models are passed in already sorted, so sorting is not tested")
    if any(np.isclose(want[n].std(), want[n].std(ddof=1), rtol=1e-6) for n in order):
        raise SpecError("test-compare: ddof=0 and ddof=1 agree on this data")
    compare.same_labels(list(table.index), order,
                        "the rows should be the models' names, sorted by mean ROC AUC, best first",
                        what="the table's index")
    compare.allclose(table["mean"].to_numpy(), [want[n].mean() for n in order],
                     "the mean column should be each model's mean ROC AUC over the folds",
                     what="the mean column")
    compare.allclose(table["std"].to_numpy(), [want[n].std() for n in order],
                     "the std column should be the standard deviation of the fold scores with numpy's "
                     "default (ddof=0)", what="the std column")


CANDIDATE_CPU_SECONDS = 10.0  # per model, fit and first predictions ("fits in about a second")


def _final_step(spec):
    steps = spec.params.get("steps") if isinstance(spec, EstimatorSpec) else None
    if spec is not None and isinstance(spec, EstimatorSpec) and spec.cls.endswith(".Pipeline") \
            and isinstance(steps, list) and steps:
        last = steps[-1]
        if isinstance(last, tuple | list) and len(last) == 2:
            return _final_step(last[1])
    return spec


@judge("test-candidates")
def candidates(case):
    _, _, _, X_new = case.args("candidates")
    got = case.returned("candidates")
    assert isinstance(got, dict) and "not-a-dict" not in got and len(got) >= 4, \
        "candidate_models should return a dict of at least four models"
    families = set()
    for name, record in got.items():
        if not isinstance(record, dict) or "model" not in record:
            raise Wrong("the hidden test's record of the candidates is not in the grader's format")
        model = record["model"]
        if not isinstance(model, EstimatorSpec):
            raise Wrong(f"candidate {name!r} should be an estimator with predict_proba")
        assert record.get("has_predict_proba") is True, \
            f"candidate {name!r} should be an estimator with predict_proba"
        assert record.get("fitted_before") is False, f"candidate {name!r} should be unfitted"
        if "error" in record:
            raise Wrong(f"candidate {name!r} could not be fitted on the raw columns and used to predict: "
                        f"{record['error']}")
        seconds = record.get("cpu")
        if type(seconds) not in (int, float) or not np.isfinite(seconds) or seconds < 0:
            raise Wrong("the time of the candidates' fits was not recorded")
        if seconds > CANDIDATE_CPU_SECONDS:
            raise Wrong(f"fitting {name} took {seconds:.1f} CPU seconds: keep each candidate model fast "
                        "to fit (n_jobs=1, fewer trees)")
        predicted = record.get("predicted")
        if not isinstance(predicted, np.ndarray) or predicted.shape != (len(X_new),):
            raise Wrong(f"candidate {name!r} should predict one label per row")
        if not set(predicted.tolist()) <= {"Yes", "No"}:
            raise Wrong(f"candidate {name!r} should predict 'Yes' or 'No' from the raw columns")
        proba = compare.float_array(record.get("proba"), f"the probabilities of {name!r}")
        if proba.shape != (len(X_new), 2) or not np.isfinite(proba).all() or (proba < 0).any() or \
                not np.allclose(proba.sum(axis=1), 1.0, atol=1e-3):
            raise Wrong(f"candidate {name!r}: predict_proba should give each row a probability per class")
        final = _final_step(model)
        families.add(final.cls if isinstance(final, EstimatorSpec) else repr(final))
    # the recorded times are the hidden test's own; the whole call's CPU time bounds them
    if case.seconds("candidates", "cpu") > CANDIDATE_CPU_SECONDS * len(got) + 5.0:
        raise Wrong("fitting the candidates took too long: keep each candidate model fast to fit "
                    "(n_jobs=1, fewer trees)")
    short = sorted(c.rsplit(".", 1)[-1] for c in families)
    assert len(families) >= 4, (f"the candidates cover {len(families)} model families ({', '.join(short)}): "
                                "compare at least four different kinds of model")


# ---------------------------------------------------------------------------
# Task 4: reading the confusion matrix


_COUNTS: dict = {}


def _counts(public: pd.DataFrame) -> dict:
    """The team's model (logistic regression on the development rows) read on the test rows, as in
    the notebook: the four counts and the test labels."""
    key = int(pd.util.hash_pandas_object(public, index=True).sum())
    if key not in _COUNTS:
        X_dev, X_test, y_dev, y_test = train_test_split(
            public.drop(columns="churn"), public["churn"], test_size=0.25, stratify=public["churn"],
            random_state=0)
        preprocess = make_column_transformer(
            (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
             make_column_selector(dtype_include="number")),
            (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = make_pipeline(preprocess, LogisticRegression(max_iter=1000))
            predicted = model.fit(X_dev, y_dev).predict(X_test)
        (tn, fp), (fn, tp) = confusion_matrix(y_test, predicted, labels=["No", "Yes"])
        _COUNTS[key] = {"true_positives": int(tp), "false_positives": int(fp), "false_negatives": int(fn),
                        "true_negatives": int(tn), "n_no": int((y_test == "No").sum()), "n": int(len(y_test))}
    return _COUNTS[key]


def _answer_number(value, what: str) -> float:
    return compare.number(value, what)


@judge("test-matrix")
def matrix(case):
    counts = _counts(case.ns["_public"])
    keys = ["true_positives", "false_positives", "false_negatives", "true_negatives"]
    # the wrong answer this test is there for: the matrix read transposed (FP and FN swapped)
    if counts["false_positives"] == counts["false_negatives"]:
        raise SpecError("test-matrix: a transposed reading gives the same counts")
    answer = compare.mapping(case.returned("read-matrix"), keys, "READ_MATRIX")
    wrong = sorted(k for k in keys if _answer_number(answer[k], k) != counts[k])
    assert not wrong, (f"these counts are misread: {', '.join(wrong)} (rows are the true class, columns the "
                       "predicted class)")


@judge("test-rates")
def rates(case):
    c = _counts(case.ns["_public"])
    tp, fp, fn = c["true_positives"], c["false_positives"], c["false_negatives"]
    want = {"precision": tp / (tp + fp), "recall": tp / (tp + fn), "always_no_accuracy": c["n_no"] / c["n"]}
    tolerance = 0.0015
    # the wrong answers this test is there for: precision and recall swapped, the share of 'Yes'
    if abs(want["precision"] - want["recall"]) <= 2 * tolerance or \
            abs(want["always_no_accuracy"] - 0.5) <= tolerance:
        raise SpecError("test-rates: the swapped or complementary rates cannot be told apart on this data")
    answer = compare.mapping(case.returned("rates"), list(want), "RATES")
    for key, value in want.items():
        compare.allclose([_answer_number(answer[key], key)], [value],
                         f"{key} is not right: precision = TP / (TP + FP), recall = TP / (TP + FN), and "
                         "predicting 'No' for everyone is right for every 'No'",
                         atol=tolerance, rtol=0.0, what=key)


# ---------------------------------------------------------------------------
# Task 4: the threshold for a recall target


def _brute(pos: np.ndarray, sc: np.ndarray, target: float):
    for t in sorted(set(sc.tolist()), reverse=True):
        called = sc >= t
        if (called & pos).sum() / pos.sum() >= target:
            return t, (called & pos).sum() / called.sum()
    raise SpecError("test-threshold: no threshold reaches the target")


def _lowest(pos, sc, target):
    """Mistake: the lowest threshold that reaches the target."""
    t = float(sc.min())
    return t, pos.sum() / len(pos)


def _ties_split(pos, sc, target):
    """Mistake: stops inside a block of tied scores."""
    order = np.argsort(-sc, kind="stable")
    hits = np.cumsum(pos[order])
    first = int(np.argmax(hits / pos.sum() >= target))
    return float(sc[order][first]), hits[first] / (first + 1)


def _strict(pos, sc, target):
    """Mistake: recall strictly above the target."""
    for t in sorted(set(sc.tolist()), reverse=True):
        called = sc >= t
        if (called & pos).sum() / pos.sum() > target:
            return t, (called & pos).sum() / called.sum()
    return None


@judge("test-threshold")
def threshold(case):
    caught = {"lowest": False, "ties": False, "strict": False}
    for key in case.calls:
        pos, sc, target = case.args(key)
        want = _brute(pos, sc, target)
        for name, mistake in [("lowest", _lowest), ("ties", _ties_split), ("strict", _strict)]:
            wrong = mistake(pos, sc, target)
            if wrong is None or not compare.is_close(list(wrong), list(want)):
                caught[name] = True
        got = compare.pair(case.returned(key), "threshold_for_recall()")
        compare.allclose([compare.number(got[0], "the threshold"), compare.number(got[1], "the precision")],
                         list(want),
                         "threshold_for_recall should return the highest threshold whose recall reaches "
                         "the target, and the precision of calling everyone at or above it (ties called "
                         "together)",
                         what="(threshold, precision)")
    blind = [name for name, seen in caught.items() if not seen]
    if blind:
        raise SpecError(f"test-threshold: the {', '.join(blind)} mistake gives the right answers on every "
                        "case")


# ---------------------------------------------------------------------------
# Task 5: reading the validation curve


def _curve(case) -> dict:
    answer = case.returned("curve")
    if not isinstance(answer, dict):
        raise Wrong("CURVE should be a dict with the keys depth_1, depth_15 and best_depth")
    return answer


@judge("test-curve-regimes")
def curve_regimes(case):
    answer = _curve(case)
    wrong = [k for k, v in {"depth_1": "high bias", "depth_15": "high variance"}.items()
             if not (isinstance(answer.get(k), str) and answer.get(k) == v)]
    assert not wrong, (f"look again at {', '.join(wrong)}: high bias means both curves are low and close, "
                       "high variance a large gap between training and validation")


# The answer key, read off the notebook's validation curve (mean validation ROC AUC by depth:
# 3: 0.807, 4: 0.821, 5: 0.819, 6: 0.808, 8: 0.771): the depths within 0.005 of the peak.
GOOD_DEPTHS = (4, 5)


@judge("test-curve-best")
def curve_best(case):
    best = _curve(case).get("best_depth")
    ok = isinstance(best, int | float | np.integer | np.floating) and not isinstance(best, bool | np.bool_) \
        and float(best) in GOOD_DEPTHS
    assert ok, ("pick the depth where the validation curve peaks (the training curve keeps rising with "
                "depth, so it cannot choose)")
