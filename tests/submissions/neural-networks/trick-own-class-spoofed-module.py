# An own estimator class named MLPClassifier, with its __module__ set in its body to scikit-learn's
# (sklearn.neural_network._multilayer_perceptron), so its class path reads like the real
# MLPClassifier's. It ignores early_stopping=True and fits scikit-learn's network without early
# stopping. It should gain nothing over the honest network without early stopping: 21.
# expect: 21
# base: reference
# %% cell: pipeline
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.neural_network import MLPClassifier as _Network
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class MLPClassifier(ClassifierMixin, BaseEstimator):
    __module__ = "sklearn.neural_network._multilayer_perceptron"

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
