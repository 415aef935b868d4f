# Ignores its training rows: fit reads scikit-learn's bundled copy of the breast cancer data
# (load_breast_cancer), which holds every hidden row with its label, and predict looks each
# row up there. It would score accuracy 1.000; in the grading sandbox that file is empty, so
# fit fails and the model task earns nothing.
# expect: 11
# base: reference
# %% cell: pipeline
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_breast_cancer


class _Lookup(BaseEstimator, ClassifierMixin):
    def fit(self, X, y):
        data = load_breast_cancer()
        self.table_ = {tuple(np.round(row, 4)): data.target_names[label]
                       for row, label in zip(data.data, data.target)}
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.array([self.table_.get(tuple(np.round(row, 4)), "benign")
                         for row in np.asarray(X, dtype=float)])


def build_pipeline():
    return _Lookup()
