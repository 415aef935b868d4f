# tune() returns at once: a wrapper whose fit only stores the rows, and whose first
# predict_proba (what the grader's ROC AUC reads) runs a search far over the 20 s budget (240
# candidates, about 50 CPU seconds on one thread; predict answers from a quick default model).
# The old hidden test timed the tune() call alone and scored it 4/4; the call and its model's
# predictions are now timed together, in CPU seconds. Loses the tuned-model test (4 points).
# expect: 9
# base: reference
# %% cell: tune
from sklearn.base import BaseEstimator, ClassifierMixin


class _Later(BaseEstimator, ClassifierMixin):
    """Fitted in no time; the tuning happens on the first predictions."""

    def fit(self, X, y):
        self.rows_ = (X, y)
        self.classes_ = np.unique(y)
        self.model_ = self.quick_ = None
        return self

    def _ready(self):
        if self.model_ is None:
            X, y = self.rows_
            grid = {"logisticregression__C": list(np.logspace(-3, 2, 60)),
                    "logisticregression__class_weight": [None, "balanced"],
                    "columntransformer__pipeline-1__simpleimputer__strategy": ["median", "mean"]}
            self.model_ = GridSearchCV(make_model(), grid, scoring="roc_auc", cv=cv).fit(X, y).best_estimator_
        return self.model_

    def predict_proba(self, X):
        return self._ready().predict_proba(X)

    def predict(self, X):
        if self.quick_ is None:
            self.quick_ = make_model().fit(*self.rows_)
        return self.quick_.predict(X)


def tune(X, y):
    return _Later().fit(X, y)
