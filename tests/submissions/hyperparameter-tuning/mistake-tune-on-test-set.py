# Tunes on the test set: tries each C, keeps the one with the best test ROC AUC, and reports
# that score. The choice follows the test labels. Loses the discipline test (2 points).
# expect: 11
# base: reference
# flag: leakage
# %% cell: discipline
from sklearn.metrics import get_scorer


def tune_and_evaluate(X_dev, y_dev, X_test, y_test):
    scorer = get_scorer("roc_auc")
    best = None
    for c in [0.001, 0.01, 0.1, 1.0, 10.0]:
        model = make_model().set_params(logisticregression__C=c).fit(X_dev, y_dev)
        score = scorer(model, X_test, y_test)
        if best is None or score > best[1]:
            best = (model, score)
    return best
