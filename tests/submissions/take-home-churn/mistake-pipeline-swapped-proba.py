# A hand-written classifier whose predict_proba puts the churn probability in the first column,
# while classes_ lists "No" first: every score points the wrong way, so the ranking is inverted
# (ROC AUC far below 0.5). Loses the pipeline points; the report explains the inverted ranking
# and asks the question written for it.
# expect: 4
# base: reference
# %% cell: pipeline
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


class ChurnScorer(BaseEstimator, ClassifierMixin):
    """Logistic regression on churned = 1, returning the churn probability first."""

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y):
        y = np.asarray(y)
        self.classes_ = np.array(["No", "Yes"], dtype=object)
        self.model_ = LogisticRegression(C=self.C, max_iter=1000).fit(X, y == "Yes")
        return self

    def predict_proba(self, X):
        churn = self.model_.predict_proba(X)[:, 1]
        return np.column_stack([churn, 1 - churn])

    def predict(self, X):
        return np.where(self.model_.predict_proba(X)[:, 1] >= 0.5, "Yes", "No")


def build_pipeline():
    numbers = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    return make_pipeline(ColumnTransformer([
        ("num", numbers, make_column_selector(dtype_include="number")),
        ("cat", OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
    ]), ChurnScorer())
