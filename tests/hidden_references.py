"""The reference and baseline models behind each hidden test that grades a model.

The hidden test cells record the reference's and the baseline's scores on the hidden-test rows
as literal constants (the grading process scores a submission against them; refitting both in
every submission's kernel would be slow, and a candidate who monkeypatches scikit-learn could
lower them). tests/test_scoring.py refits these models on the host and checks the constants.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import (
    ColumnTransformer,
    TransformedTargetRegressor,
    make_column_selector,
    make_column_transformer,
)
from sklearn.decomposition import PCA
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

NUMBERS = make_column_selector(dtype_include="number")
TEXT = make_column_selector(dtype_exclude="number")


def _churn_reference():
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    return make_pipeline(ColumnTransformer([
        ("numeric", numeric, NUMBERS),
        ("categorical", OneHotEncoder(handle_unknown="ignore"), TEXT),
    ]), LogisticRegression(C=0.5, max_iter=2000))


def _ames_reference():
    preprocess = ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMBERS),
        ("categorical", OneHotEncoder(handle_unknown="ignore", min_frequency=5), TEXT),
    ])
    return TransformedTargetRegressor(make_pipeline(preprocess, Ridge(alpha=10.0)),
                                      func=np.log, inverse_func=np.exp)


def _credit_reference():
    numeric = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
    categorical = make_pipeline(SimpleImputer(strategy="most_frequent"),
                                OneHotEncoder(handle_unknown="ignore"))
    return make_pipeline(ColumnTransformer([
        ("numeric", numeric, NUMBERS),
        ("categorical", categorical, TEXT),
    ]), LogisticRegression(max_iter=1000))


def _selection_prep():
    return make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMBERS),
        (OneHotEncoder(handle_unknown="ignore"), TEXT),
    )


def _with_dates(df):
    a = 2 * np.pi * df["Mo_Sold"] / 12
    extra = pd.DataFrame({"age_at_sale": df["Year_Sold"] - df["Year_Built"],
                          "years_since_remodel": df["Year_Sold"] - df["Year_Remod_Add"],
                          "month_sin": np.sin(a), "month_cos": np.cos(a)}, index=df.index)
    return pd.concat([df, extra], axis=1)


def _features_reference():
    columns = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMBERS),
        (OneHotEncoder(handle_unknown="ignore"), TEXT),
    )
    return TransformedTargetRegressor(
        regressor=make_pipeline(FunctionTransformer(_with_dates), columns, Ridge(alpha=10.0)),
        func=np.log, inverse_func=np.exp)


def _features_baseline():
    return make_pipeline(make_column_transformer((SimpleImputer(strategy="median"), NUMBERS)),
                         Ridge(alpha=1.0))


def _tuning_prep():
    return make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMBERS),
        (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
         TEXT),
    )


def _tuning_reference():
    return GridSearchCV(make_pipeline(_tuning_prep(), LogisticRegression(max_iter=1000)),
                        {"logisticregression__C": [0.03, 0.1, 0.3, 1.0]}, scoring="roc_auc",
                        cv=StratifiedKFold(5, shuffle=True, random_state=0))


# (assignment, grade id) -> (reference, baseline): each an unfitted-model factory
MODELS = {
    ("dimensionality-reduction", "test-pipeline"): (
        lambda: make_pipeline(StandardScaler(), PCA(n_components=10), LogisticRegression(max_iter=1000)),
        KNeighborsClassifier,
    ),
    ("normalisation", "test-pipeline"): (
        lambda: make_pipeline(StandardScaler(), SVC()),
        KNeighborsClassifier,
    ),
    ("take-home-ames", "test-pipeline"): (_ames_reference, lambda: DummyRegressor(strategy="median")),
    ("take-home-churn", "test-pipeline"): (_churn_reference, DummyClassifier),
    ("missing-data", "test-pipeline"): (_credit_reference, DummyClassifier),
    ("model-selection", "test-chosen"): (
        lambda: make_pipeline(_selection_prep(), LogisticRegression(max_iter=1000)),
        lambda: make_pipeline(_selection_prep(), DecisionTreeClassifier(random_state=0)),
    ),
    ("feature-engineering", "test-pipeline"): (_features_reference, _features_baseline),
    ("neural-networks", "test-pipeline"): (
        lambda: make_pipeline(StandardScaler(), MLPClassifier(
            hidden_layer_sizes=(128,), early_stopping=True, n_iter_no_change=20, max_iter=500,
            random_state=0)),
        GaussianNB,
    ),
    ("hyperparameter-tuning", "test-tune"): (
        _tuning_reference,
        lambda: make_pipeline(_tuning_prep(), DecisionTreeClassifier(random_state=0)),
    ),
}
