"""The kernel side of model tasks (mlchallenge.kernel.predictions) and the grading side's
comparisons (mlchallenge.judging.compare), on their own, with passing and failing inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlchallenge.judging import compare
from mlchallenge.kernel import predictions
from mlchallenge.kernel.datasets import grading_fold


def test_allclose_passes_close_values_and_names_the_failure():
    compare.allclose([1.0, np.nan], [1.0 + 1e-12, np.nan], "differs")
    with pytest.raises(compare.Wrong, match=r"^differs$"):
        compare.allclose([1.0, 2.0], [1.0, 2.1], "differs")
    with pytest.raises(compare.Wrong, match="missing or infinite"):
        compare.allclose([1.0, np.nan], [1.0, 2.0], "differs")
    with pytest.raises(compare.Wrong, match="shape"):
        compare.allclose([1.0], [1.0, 2.0], "differs")
    with pytest.raises(compare.Wrong, match="numpy array"):
        compare.allclose("1.0", [1.0], "differs")


def test_labels_are_compared_as_plain_values():
    compare.same_labels(pd.Series(["a", None]), pd.Series(["a", None]), "differs")
    compare.same_labels([1, 2.0], [1.0, 2], "differs")
    with pytest.raises(compare.Wrong, match=r"^differs$"):
        compare.same_labels(["a", "b"], ["a", "c"], "differs")
    with pytest.raises(compare.Wrong, match="values instead of"):
        compare.same_labels(["a"], ["a", "b"], "differs")
    with pytest.raises(compare.Wrong, match="plain labels"):
        compare.same_labels([object()], ["a"], "differs")


def test_shapes_of_results_are_named_when_wrong():
    with pytest.raises(compare.Wrong, match="pair"):
        compare.pair((1, 2, 3), "impute()")
    with pytest.raises(compare.Wrong, match="exactly the keys 'a', 'b'"):
        compare.mapping({"a": 1}, ["a", "b"], "the result")
    with pytest.raises(compare.Wrong, match="DataFrame, got list"):
        compare.frame([1], "the profile")
    with pytest.raises(compare.Wrong, match="one number"):
        compare.number(np.array([1.0, 2.0]), "the score")
    with pytest.raises(compare.Wrong, match="a number, got bool"):
        compare.number(True, "the score")


def test_refit_and_predict_gives_one_prediction_per_hidden_test_row_and_refuses_a_fitted_model():
    def reference():
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))

    fold = grading_fold("breast_cancer", 0)
    labels = predictions.refit_and_predict(reference, "breast_cancer", "accuracy")
    assert len(labels) == len(fold.X_test) and set(labels) <= {"malignant", "benign"}
    assert all(type(v) is str for v in labels)
    scores = predictions.refit_and_predict(reference, "breast_cancer", "roc_auc", positive="malignant")
    assert all(type(v) is float and 0 <= v <= 1 for v in scores)
    fitted = reference().fit(fold.X_train, fold.y_train)
    with pytest.raises(AssertionError, match="unfitted"):
        predictions.refit_and_predict(lambda: fitted, "breast_cancer", "accuracy")


def test_refit_and_predict_explains_a_pipeline_that_cannot_take_missing_values():
    with pytest.raises(AssertionError, match="handles missing values"):
        predictions.refit_and_predict(lambda: LogisticRegression(), "credit_data", "roc_auc", positive="bad")


def test_predictions_refuse_missing_values_and_odd_labels():
    class Odd(DummyClassifier):
        def predict(self, X):
            return np.full(len(X), np.nan)

    X = pd.DataFrame({"a": [1.0, 2.0]})
    with pytest.raises(AssertionError, match="missing or infinite"):
        predictions.predictions_for(Odd().fit(X, ["x", "y"]), X, "rmse_log")

    class Objects(DummyClassifier):
        def predict(self, X):
            return np.array([object()] * len(X))

    with pytest.raises(AssertionError, match="plain labels"):
        predictions.predictions_for(Objects().fit(X, ["x", "y"]), X, "accuracy")


def test_grade_pipeline_emits_a_bundle_for_its_spec(capsys):
    predictions.grade_pipeline(DummyClassifier, dataset="breast_cancer", metric="accuracy", baseline=0.9,
                               reference=0.98, tolerance=0.01, seed=1)
    printed = capsys.readouterr().out  # outside a kernel, IPython's display prints the bundle
    assert predictions.PREDICTIONS_MIME in printed and "'seed': 1" in printed


def test_unseen_categories_only_touch_text_columns():
    frame = pd.DataFrame({"n": [1, 2, 3], "c": ["a", "b", "a"]})
    out = predictions.unseen_categories(frame, seed=0, rows=2)
    assert (out["n"] == frame["n"]).all()
    assert (out["c"] == "never-seen-in-training").sum() == 2


def test_renamed_categories_rename_every_category_the_same_way_in_both_frames():
    fold = grading_fold("telco_churn")
    train, test = predictions.renamed_categories(fold.X_train, fold.X_test)
    text = [c for c in fold.X_train.columns if not pd.api.types.is_numeric_dtype(fold.X_train[c])]
    assert "contract" in text
    for column in fold.X_train.columns:
        if column not in text:  # numbers are left as they are
            pd.testing.assert_series_equal(train[column], fold.X_train[column])
            continue
        assert not set(train[column].dropna()) & set(fold.X_train[column].dropna())
        # one name for one category, in training and test rows alike; missing stays missing
        pairs = pd.concat([pd.DataFrame({"old": fold.X_train[column], "new": train[column]}),
                           pd.DataFrame({"old": fold.X_test[column], "new": test[column]})])
        assert (pairs.dropna().groupby("old")["new"].nunique() == 1).all()
        assert pairs.dropna()["new"].nunique() == pairs.dropna()["old"].nunique()
        assert (pairs["old"].isna() == pairs["new"].isna()).all()
        # in the same sorted order: an encoder that sorts the categories sees the same order
        order = pairs.dropna().drop_duplicates().sort_values("old")["new"].tolist()
        assert order == sorted(order)


def test_renamed_refit_is_a_figure_only_where_the_rows_have_categories():
    def honest():
        from sklearn.compose import make_column_selector, make_column_transformer
        from sklearn.impute import SimpleImputer
        from sklearn.preprocessing import OneHotEncoder

        return make_pipeline(make_column_transformer(
            (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
             make_column_selector(dtype_include="number")),
            (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number"))),
            LogisticRegression(max_iter=2000))

    assert predictions.renamed_refit(lambda: make_pipeline(StandardScaler(), LogisticRegression()),
                                     "breast_cancer", "accuracy") is None
    renamed = predictions.renamed_refit(honest, "telco_churn", "roc_auc", positive="Yes")
    own = predictions.refit_and_predict(honest, "telco_churn", "roc_auc", positive="Yes")
    # a one-hot pipeline learns the renamed categories as it learned the real ones
    assert np.allclose(renamed["predictions"], own, rtol=1e-9)
