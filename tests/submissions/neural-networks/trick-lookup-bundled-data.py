# Ignores its training rows: fit reads scikit-learn's bundled copy of the digits (load_digits),
# which holds every hidden row with its label, and predict looks each row up there. It would
# score accuracy 1.000; in the grading sandbox that file is empty, so fit fails: the model task
# earns nothing, and the point for early stopping is lost with it.
# expect: 17
# base: reference
# %% cell: pipeline
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_digits


class _Lookup(BaseEstimator, ClassifierMixin):
    def fit(self, X, y):
        data = load_digits()
        self.table_ = {tuple(row.astype(int)): int(label) for row, label in zip(data.data, data.target)}
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.array([self.table_.get(tuple(np.asarray(row, dtype=float).astype(int)), 0)
                         for row in np.asarray(X, dtype=float)])


def build_pipeline():
    return _Lookup()
