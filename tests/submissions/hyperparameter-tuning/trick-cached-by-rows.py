# Chooses C by the test rows' ROC AUC, and remembers its choice per set of development rows:
# a second call on the same development rows hands back the first call's model whatever the
# test labels, so the label flip cannot move it. Each hidden call runs in a process of its own
# forked before any of them, so the flipped call finds no remembered choice, chooses by the
# flipped labels, and the model changes. Loses the discipline test (2 points).
# expect: 11
# base: reference
# flag: leakage
# %% cell: discipline
import hashlib

from sklearn.metrics import roc_auc_score

_CHOSEN = {}


def _rows_key(X):
    return hashlib.sha256(X.to_csv().encode()).hexdigest()


def tune_and_evaluate(X_dev, y_dev, X_test, y_test):
    key = _rows_key(X_dev)
    if key not in _CHOSEN:
        best = None
        for c in [0.001, 0.01, 0.1, 1.0, 10.0]:
            model = make_model().set_params(logisticregression__C=c).fit(X_dev, y_dev)
            score = roc_auc_score(y_test == "bad", model.predict_proba(X_test)[:, list(model.classes_).index("bad")])
            if best is None or score > best[1]:
                best = (model, score)
        _CHOSEN[key] = best[0]
    model = _CHOSEN[key]
    proba = model.predict_proba(X_test)[:, list(model.classes_).index("bad")]
    return model, roc_auc_score(y_test == "bad", proba)
