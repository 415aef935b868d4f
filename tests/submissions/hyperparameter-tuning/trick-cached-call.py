# Chooses C by the test rows' ROC AUC, and caches the model of its first call: every later
# call hands back that model (with an honestly recomputed test AUC), so the model cannot change
# when the test labels flip. The old hidden test, which compared two calls, passed it; the
# grader now refits the returned model's parameters on each call's own development rows, and
# the first hidden call uses other rows (and each call runs fresh). Loses the discipline test (2 points).
# trick-cached-by-rows remembers its choice per set of development rows.
# expect: 11
# base: reference
# %% cell: discipline
from sklearn.metrics import roc_auc_score

_FIRST = {}


def tune_and_evaluate(X_dev, y_dev, X_test, y_test):
    if "model" not in _FIRST:
        best = None
        for c in [0.001, 0.01, 0.1, 1.0, 10.0]:
            model = make_model().set_params(logisticregression__C=c).fit(X_dev, y_dev)
            score = roc_auc_score(y_test == "bad", model.predict_proba(X_test)[:, list(model.classes_).index("bad")])
            if best is None or score > best[1]:
                best = (model, score)
        _FIRST["model"] = best[0]
    model = _FIRST["model"]
    proba = model.predict_proba(X_test)[:, list(model.classes_).index("bad")]
    return model, roc_auc_score(y_test == "bad", proba)
