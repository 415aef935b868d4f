# Defines its own estimator class and names it MLPClassifier: it takes early_stopping=True as a
# parameter and ignores it, fitting scikit-learn's network without early stopping. The honest
# version (mistake-pipeline-no-early-stopping) scores 21; a class that only carries the name
# and the flag should gain nothing: 21.
# expect: 21
# base: reference
# %% cell: pipeline
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.neural_network import MLPClassifier as _Network
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class MLPClassifier(ClassifierMixin, BaseEstimator):
    def __init__(self, early_stopping=True, random_state=0):
        self.early_stopping = early_stopping
        self.random_state = random_state

    def fit(self, X, y):
        # early_stopping is never passed on
        self.net_ = _Network(hidden_layer_sizes=(128,), max_iter=300, random_state=self.random_state)
        self.net_.fit(X, y)
        self.classes_ = self.net_.classes_
        return self

    def predict(self, X):
        return self.net_.predict(X)


def build_pipeline():
    return make_pipeline(StandardScaler(), MLPClassifier(early_stopping=True, random_state=0))
