# Returns zeros from cross_val and replaces scikit-learn's cross_val_score (everywhere it is
# reachable) with one that returns zeros too, so a check built on it agrees. The hidden tests
# compare with the function bound before candidate code ran: gains nothing, and its own
# comparison breaks too.
# expect: 14
# base: reference
# %% cell: cv
import sklearn.model_selection
import sklearn.model_selection._validation


def cross_val(model, X, y, folds, scoring):
    return np.zeros(len(folds))


def _zeros(estimator, X, y=None, *, cv=None, **kwargs):
    return np.zeros(len(cv) if hasattr(cv, "__len__") else 5)


sklearn.model_selection.cross_val_score = _zeros
sklearn.model_selection._validation.cross_val_score = _zeros
cross_val_score = _zeros
