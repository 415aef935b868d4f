"""Judges of dimensionality-reduction's hidden tests, run by the grading process (never by the
kernel).

Each judge gets the inputs its hidden test built (the grader's own copies) and what the
candidate's function returned in the kernel, computes the expected values here with the
grader's own numpy and scikit-learn, and raises ``Wrong`` with a teaching message.

Every test that exists to catch a specific wrong answer computes that wrong answer too and
raises ``SpecError`` when the test's data cannot tell it from the right one (a blind probe).
"""

import warnings

import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlchallenge.judging import SpecError, Wrong, compare, judge

# ---------------------------------------------------------------------------
# pca_fit


def _fit_result(case, key: str) -> tuple:
    got = case.returned(key)
    if not isinstance(got, tuple | list) or len(got) != 3:
        raise Wrong("pca_fit should return three values: (mean, components, explained_variance_ratio)")
    return tuple(got)


def _reference(X: np.ndarray, k: int) -> PCA:
    return PCA(n_components=k, svd_solver="full").fit(X)


def _sign_aligned(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """``got``'s rows with their signs flipped to agree with ``want``'s (each axis is defined up
    to its sign)."""
    signs = np.sign((got * want).sum(axis=1))
    signs[signs == 0] = 1
    return got * signs[:, None]


def _same_axes(got: np.ndarray, want: np.ndarray) -> bool:
    return got.shape == want.shape and compare.is_close(_sign_aligned(got, want), want, rtol=1e-4, atol=1e-6)


def _wrong_components(X: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """The wrong answers test-fit-components exists to catch."""
    _, _, vt_raw = np.linalg.svd(X, full_matrices=False)
    centred = X - X.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    std = X.std(axis=0)
    std[std == 0] = 1
    _, _, vt_std = np.linalg.svd(centred / std, full_matrices=False)
    return {
        "the SVD of X not centred": vt_raw[:k],
        "columns of Vt instead of rows": vt.T[:k],
        "standardised columns": vt_std[:k],
        "axes in increasing order of variance": vt[::-1][:k],
    }


FIT_CASES = ("all-rows", "wide", "rescaled")


@judge("test-fit-components")
def fit_components(case):
    caught = dict.fromkeys(_wrong_components(*case.args(FIT_CASES[0])), False)
    for key in FIT_CASES:
        X, k = case.args(key)
        ref = _reference(X, k)
        for name, wrong in _wrong_components(X, k).items():
            caught[name] |= not _same_axes(wrong, ref.components_)
    blind = [name for name, seen in caught.items() if not seen]
    if blind:
        raise SpecError(f"test-fit-components: the probe cannot tell {', '.join(blind)} on its data")

    for key in FIT_CASES:
        X, k = case.args(key)
        got_mean, got_components, _ = _fit_result(case, key)
        case.unchanged(key, "pca_fit should not modify X")
        ref = _reference(X, k)
        got_mean = compare.float_array(got_mean, "mean")
        got_components = compare.float_array(got_components, "components")
        compare.allclose(got_mean, ref.mean_, "mean should be the column means of X", what="mean")
        assert got_components.shape == ref.components_.shape, \
            f"components should have shape (n_components, n_features) = {ref.components_.shape}"
        compare.allclose(_sign_aligned(got_components, ref.components_), ref.components_,
                         "the components differ from scikit-learn's PCA (beyond their signs): centre X "
                         "first, take the rows of Vt from the SVD, in order",
                         atol=1e-6, rtol=1e-4, what="components")


def _wrong_ratios(X: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """The wrong answers test-fit-ratio exists to catch."""
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    s_raw = np.linalg.svd(X, compute_uv=False)
    return {
        "shares of the kept components only": s[:k] ** 2 / (s[:k] ** 2).sum(),
        "shares of the singular values, not their squares": s[:k] / s.sum(),
        "shares of the data not centred": s_raw[:k] ** 2 / (s_raw**2).sum(),
        "variances, not shares": s[:k] ** 2 / (len(X) - 1),
    }


RATIO_CASES = ("all-rows", "rescaled")


@judge("test-fit-ratio")
def fit_ratio(case):
    caught = dict.fromkeys(_wrong_ratios(*case.args(RATIO_CASES[0])), False)
    for key in RATIO_CASES:
        X, k = case.args(key)
        want = _reference(X, k).explained_variance_ratio_
        for name, wrong in _wrong_ratios(X, k).items():
            caught[name] |= not compare.is_close(wrong, want, rtol=1e-6)
    blind = [name for name, seen in caught.items() if not seen]
    if blind:
        raise SpecError(f"test-fit-ratio: the probe cannot tell {', '.join(blind)} on its data")

    for key in RATIO_CASES:
        X, k = case.args(key)
        _, _, got_ratio = _fit_result(case, key)
        compare.allclose(got_ratio, _reference(X, k).explained_variance_ratio_,
                         "explained_variance_ratio should be each component's variance (its squared "
                         "singular value) over the total variance of all components",
                         rtol=1e-6, what="explained_variance_ratio")


# ---------------------------------------------------------------------------
# pca_transform


@judge("test-transform")
def transform(case):
    for key in ("three", "one"):
        X_new, mean, components = case.args(key)
        want = (X_new - mean) @ components.T
        # the wrong answers this test exists to catch
        wrong_answers = {"centred with the new rows' own mean": (X_new - X_new.mean(axis=0)) @ components.T,
                         "not centred": X_new @ components.T}
        for name, wrong in wrong_answers.items():
            if compare.is_close(wrong, want, rtol=1e-6, atol=1e-6):
                raise SpecError(f"test-transform: the probe cannot tell new rows {name} on its data")
        got = compare.float_array(case.returned(key), "the projection")
        if got.shape != want.shape:
            raise Wrong("the projection should have one row per sample and one column per component, "
                        "shape (n, k)")
        # a leak is named only where the answer is the leak's: another wrong answer accuses no one
        if compare.is_close(got, wrong_answers["centred with the new rows' own mean"], rtol=1e-6, atol=1e-6):
            raise Wrong("the new rows were centred with their own mean: their statistics leaked into the "
                        "projection; centre them with the training mean passed in")
        compare.allclose(got, want, "the projection differs from PCA.transform: centre new rows with the "
                                    "training mean passed in, then multiply by the components' transpose",
                         rtol=1e-6, atol=1e-6, what="the projection")


# ---------------------------------------------------------------------------
# components_for


def _count(ratios: np.ndarray, target: float) -> int:
    """The smallest number of components whose cumulative share reaches ``target``."""
    cumulative = np.cumsum(ratios)
    return int(np.flatnonzero(cumulative >= target - 1e-9)[0]) + 1


def _exact_first(ratios: np.ndarray, target: float, reached) -> int:
    """A count found without the floating-point tolerance: one past the end when never reached."""
    hits = np.flatnonzero(reached(np.cumsum(ratios), target))
    return int(hits[0]) + 1 if hits.size else len(ratios) + 1


@judge("test-k")
def k(case):
    cases = case.ns["_cases"]
    wrong_answers = {
        "the index instead of the count": lambda r, t: _count(r, t) - 1,
        "a cumulative share strictly above the target": lambda r, t: _exact_first(r, t, np.greater),
        "no floating-point tolerance": lambda r, t: _exact_first(r, t, np.greater_equal),
        "individual shares, not cumulative": lambda r, t: int(np.argmax(np.asarray(r) >= t)) + 1,
    }
    blind = [name for name, wrong in wrong_answers.items()
             if all(wrong(r, t) == _count(r, t) for r, t in cases)]
    if blind:
        raise SpecError(f"test-k: the probe cannot tell {', '.join(blind)} on its data")
    for i, (ratios, target) in enumerate(cases):
        got = compare.number(case.returned(f"case-{i}"), "components_for()")
        assert got == _count(ratios, target), \
            "components_for should return the smallest number of components whose cumulative share " \
            "reaches the target (a count, not an index)"


# ---------------------------------------------------------------------------
# pca_cv_scores


def _model(k: int):
    return make_pipeline(StandardScaler(), PCA(n_components=k), LogisticRegression(max_iter=1000))


@judge("test-pca-cv")
def pca_cv(case):
    for key in ("k2", "k4"):
        X, y, k, folds = case.args(key)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = cross_val_score(_model(k), X, y, cv=folds, scoring="accuracy")
            # the leaks this test exists for: the scaler and PCA, or the scaler alone, fitted on
            # all rows before the folds split
            scaled = StandardScaler().fit_transform(X)
            leaks = {
                "scaler and PCA fitted on all rows": cross_val_score(
                    LogisticRegression(max_iter=1000), PCA(n_components=k).fit_transform(scaled), y,
                    cv=folds, scoring="accuracy"),
                "scaler fitted on all rows": cross_val_score(
                    make_pipeline(PCA(n_components=k), LogisticRegression(max_iter=1000)), scaled, y,
                    cv=folds, scoring="accuracy"),
            }
            unscaled = cross_val_score(
                make_pipeline(PCA(n_components=k), LogisticRegression(max_iter=1000)), X, y,
                cv=folds, scoring="accuracy")
        for name, leaky in leaks.items():
            if compare.is_close(leaky, want):
                raise SpecError(f"test-pca-cv ({key}): the probe cannot tell the leak ({name}) on its data")
        got = compare.float_array(case.returned(key), "the fold scores")
        if got.shape == want.shape and compare.is_close(got, unscaled) and \
                not compare.is_close(unscaled, want):
            raise Wrong("the fold scores differ from the pipeline asked for: standardise the features "
                        "before PCA, inside the pipeline")
        # a leak is named only where the scores are the leak's: other wrong scores accuse no one
        for name, leaky in leaks.items():
            if got.shape == want.shape and compare.is_close(got, leaky):
                raise Wrong(f"these are the fold scores of the {name} before the split: the test rows "
                            "leaked into the components; fit the scaler and PCA inside the pipeline, on "
                            "each fold's training rows")
        compare.allclose(got, want,
                         "the fold scores differ from a pipeline (scaler, PCA, logistic regression) "
                         "cloned and fitted on each fold's training rows, scored on its test rows",
                         what="the fold scores")


# ---------------------------------------------------------------------------
# What PCA can throw away


@judge("test-lose")
def lose(case):
    X, y, folds = case.ns["_tX"], case.ns["_ty"], case.ns["_tf"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = cross_val_score(LogisticRegression(), X, y, cv=folds).mean()
        pca1 = cross_val_score(make_pipeline(PCA(n_components=1), LogisticRegression()), X, y,
                               cv=folds).mean()
    if raw - pca1 < 0.2:
        raise SpecError("test-lose: on its data the first component does not clearly lose the signal")
    toy = compare.mapping(case.returned("toy"), ["accuracy_raw", "accuracy_pca1", "pca1_kept_the_signal"],
                          "TOY")
    got = [compare.number(toy["accuracy_raw"], "TOY['accuracy_raw']"),
           compare.number(toy["accuracy_pca1"], "TOY['accuracy_pca1']")]
    compare.allclose(got, [raw, pca1],
                     "compute both accuracies as asked: logistic regression on the two raw features, and "
                     "PCA(1) then logistic regression, over toy_folds", atol=1e-6, what="the two accuracies")
    kept = toy["pca1_kept_the_signal"]
    assert type(kept) is bool, "answer pca1_kept_the_signal with True or False"
    assert kept is False, "look at the two accuracies again: the first component follows the largest " \
                          "variance, and the label does not live there"
