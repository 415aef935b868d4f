"""mlchallenge.checks on its own, with passing and failing inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlchallenge import checks


def test_assert_allclose_passes_close_values_and_names_the_failure():
    checks.assert_allclose([1.0, np.nan], [1.0 + 1e-12, np.nan], "differs")
    with pytest.raises(AssertionError, match="^differs$"):
        checks.assert_allclose([1.0, 2.0], [1.0, 2.1], "differs")
    with pytest.raises(AssertionError, match="missing or infinite"):
        checks.assert_allclose([1.0, np.nan], [1.0, 2.0], "differs")
    with pytest.raises(AssertionError, match="shape"):
        checks.assert_allclose([1.0], [1.0, 2.0], "differs")


def test_objects_that_claim_equality_are_not_accepted():
    class Anything:
        def __eq__(self, other):
            return True

    with pytest.raises(AssertionError, match="numpy array"):
        checks.assert_allclose(Anything(), [1.0], "differs")

    class EqualFloat(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    with pytest.raises(AssertionError, match="plain labels"):
        checks.assert_same_labels([EqualFloat(0.0)], ["a"], "differs")
    checks.assert_same_labels(pd.Series(["a", None]), pd.Series(["a", None]), "differs")
    with pytest.raises(AssertionError, match="^differs$"):
        checks.assert_same_labels(["a", "b"], ["a", "c"], "differs")


def test_comparisons_survive_monkeypatched_numpy(monkeypatch):
    monkeypatch.setattr(np, "asarray", lambda *a, **k: np.zeros(1))
    monkeypatch.setattr(np, "isfinite", lambda a: np.ones(np.shape(a), dtype=bool))
    with pytest.raises(AssertionError, match="^differs$"):
        checks.assert_allclose(np.array([1.0, 2.0]), np.array([1.0, 3.0]), "differs")


def test_assert_unchanged_sees_in_place_edits_even_with_equals_patched(monkeypatch):
    before = pd.DataFrame({"a": [1.0, np.nan]})
    after = before.fillna(0)
    monkeypatch.setattr(pd.DataFrame, "equals", lambda self, other: True)
    with pytest.raises(AssertionError, match="modified"):
        checks.assert_unchanged(before, after, "modified")


def test_evaluate_says_correct_incorrect_or_not_attempted():
    def stub():
        raise NotImplementedError

    assert checks.evaluate(lambda: None).outcome is checks.Outcome.CORRECT
    assert checks.evaluate(lambda: checks.call(stub)).outcome is checks.Outcome.NOT_ATTEMPTED

    def wrong():
        raise AssertionError("the median was not used")

    result = checks.evaluate(wrong)
    assert result.outcome is checks.Outcome.INCORRECT
    assert result.message == "the median was not used"


def test_call_turns_a_crash_into_a_teaching_message():
    def crash(x):
        return x / "a"

    with pytest.raises(AssertionError, match=r"crash\(\) raised TypeError"):
        checks.call(crash, 1)


def test_refit_and_predict_gives_one_prediction_per_hidden_test_row_and_refuses_a_fitted_model():
    from mlchallenge.kernel.datasets import grading_fold

    def reference():
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))

    fold = grading_fold("breast_cancer", 0)
    labels = checks.refit_and_predict(reference, "breast_cancer", "accuracy")
    assert len(labels) == len(fold.X_test) and set(labels) <= {"malignant", "benign"}
    assert all(type(v) is str for v in labels)
    scores = checks.refit_and_predict(reference, "breast_cancer", "roc_auc", positive="malignant")
    assert all(type(v) is float and 0 <= v <= 1 for v in scores)
    fitted = reference().fit(fold.X_train, fold.y_train)
    with pytest.raises(AssertionError, match="unfitted"):
        checks.refit_and_predict(lambda: fitted, "breast_cancer", "accuracy")


def test_refit_and_predict_explains_a_pipeline_that_cannot_take_missing_values():
    with pytest.raises(AssertionError, match="handles missing values"):
        checks.refit_and_predict(lambda: LogisticRegression(), "credit_data", "roc_auc", positive="bad")


def test_predictions_refuse_missing_values_and_odd_labels():
    class Odd(DummyClassifier):
        def predict(self, X):
            return np.full(len(X), np.nan)

    X = pd.DataFrame({"a": [1.0, 2.0]})
    model = Odd().fit(X, ["x", "y"])
    with pytest.raises(AssertionError, match="missing or infinite"):
        checks.predictions_for(model, X, "rmse_log")

    class Objects(DummyClassifier):
        def predict(self, X):
            return np.array([object()] * len(X))

    with pytest.raises(AssertionError, match="plain labels"):
        checks.predictions_for(Objects().fit(X, ["x", "y"]), X, "accuracy")


def test_grade_pipeline_emits_a_bundle_for_its_spec(capsys):
    checks.grade_pipeline(DummyClassifier, dataset="breast_cancer", metric="accuracy", baseline=0.9,
                          reference=0.98, tolerance=0.01, seed=1)
    printed = capsys.readouterr().out  # outside a kernel, IPython's display prints the bundle
    assert checks.PREDICTIONS_MIME in printed and "'seed': 1" in printed


def test_unseen_categories_only_touch_text_columns():
    frame = pd.DataFrame({"n": [1, 2, 3], "c": ["a", "b", "a"]})
    out = checks.unseen_categories(frame, seed=0, rows=2)
    assert (out["n"] == frame["n"]).all()
    assert (out["c"] == "never-seen-in-training").sum() == 2


def test_fold_checks_accept_stratified_folds_and_name_what_is_wrong():
    from sklearn.model_selection import KFold, StratifiedKFold

    y = np.array(["a"] * 30 + ["b"] * 10 + ["c"] * 7)
    good = list(StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y))
    checks.assert_folds_partition(good, len(y), 5)
    checks.assert_folds_stratified(good, y, 5)
    assert checks.same_folds(good, good)
    other = list(StratifiedKFold(5, shuffle=True, random_state=1).split(np.zeros(len(y)), y))
    assert not checks.same_folds(good, other)

    plain = list(KFold(5).split(y))  # sorted labels, no shuffling: class a fills the first folds
    checks.assert_folds_partition(plain, len(y), 5)
    with pytest.raises(AssertionError, match="stratified split spreads each class"):
        checks.assert_folds_stratified(plain, y, 5)

    overlapping = [(np.arange(0, 40), np.arange(30, 47))] + good[1:]
    with pytest.raises(AssertionError, match="both train_idx and test_idx"):
        checks.assert_folds_partition(overlapping, len(y), 5)
    labels_not_positions = [(train + 100, test + 100) for train, test in good]
    with pytest.raises(AssertionError, match="positions"):
        checks.assert_folds_partition(labels_not_positions, len(y), 5)
    with pytest.raises(AssertionError, match="asked for 4 folds"):
        checks.assert_folds_partition(good, len(y), 4)
    missing_row = [(train, test[1:]) if k == 0 else (train, test) for k, (train, test) in enumerate(good)]
    with pytest.raises(AssertionError, match="cover all"):
        checks.assert_folds_partition(missing_row, len(y), 5)


def test_time_limited_stops_a_slow_call_even_if_it_swallows_exceptions():
    import time

    result, elapsed = checks.time_limited(lambda: 42, 5.0, name="quick")
    assert result == 42 and elapsed < 5.0

    def slow():
        try:
            time.sleep(3)
        except Exception:  # noqa: BLE001 - a candidate hiding errors
            pass
        return 1

    start = time.perf_counter()
    with pytest.raises(checks.OverBudget, match="time budget of 0.2 s: vectorise"):
        checks.time_limited(slow, 0.2, name="slow", hint="vectorise")
    assert time.perf_counter() - start < 2.0

    def stubborn():
        deadline = time.perf_counter() + 0.5
        while time.perf_counter() < deadline:
            try:
                time.sleep(0.01)
            except BaseException:  # noqa: BLE001 - even the alarm is swallowed
                pass
        return 1

    with pytest.raises(checks.OverBudget):
        checks.time_limited(stubborn, 0.1, name="stubborn")


def test_reference_functions_are_bound_before_candidate_code(monkeypatch):
    import sklearn.model_selection

    monkeypatch.setattr(sklearn.model_selection, "cross_val_score", lambda *a, **k: np.ones(3))
    X = pd.DataFrame({"a": np.arange(40.0)})
    y = pd.Series([0, 1] * 20)
    scores = checks.reference_cross_val_score(DummyClassifier(), X, y, cv=2, scoring="accuracy")
    assert np.allclose(scores, 0.5)


def test_short_answers_match_their_hashed_keys_whatever_the_spelling():
    keys = [checks.answer_digest("q-variance", answer) for answer in ("variance", "high variance")]
    for spelling in ("variance", "  Variance.", "HIGH-variance", "high_variance", "high   variance"):
        checks.check_short_answer("q-variance", spelling, keys, "wrong")
    with pytest.raises(AssertionError, match="^wrong$"):
        checks.check_short_answer("q-variance", "bias", keys, "wrong")
    # the same word under another question has another key
    with pytest.raises(AssertionError, match="^wrong$"):
        checks.check_short_answer("q-other", "variance", keys, "wrong")
    with pytest.raises(checks.NotAttempted):
        checks.check_short_answer("q-variance", None, keys, "wrong")

    class Anything(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    with pytest.raises(AssertionError, match="answer with a string"):
        checks.check_short_answer("q-variance", Anything("bias"), keys, "wrong")
    with pytest.raises(AssertionError, match="answer with a string"):
        checks.check_short_answer("q-variance", 3, keys, "wrong")


def test_hash_answer_script_prints_the_keys(capsys):
    import runpy
    import sys

    argv = sys.argv
    sys.argv = ["hash_answer.py", "q-variance", "variance"]
    try:
        with pytest.raises(SystemExit) as exit_info:
            runpy.run_path(str(ROOT / "scripts" / "hash_answer.py"), run_name="__main__")
    finally:
        sys.argv = argv
    assert exit_info.value.code == 0
    assert checks.answer_digest("q-variance", "variance") in capsys.readouterr().out
