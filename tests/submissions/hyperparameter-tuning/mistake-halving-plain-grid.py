# Answers the halving task with an ordinary grid search: every candidate on every row.
# Loses the halving test (1 point).
# expect: 12
# base: reference
# %% cell: halving
def halving_search(X, y):
    return GridSearchCV(make_model(), {"logisticregression__C": list(np.logspace(-3, 2, 8))}, scoring="roc_auc", cv=3).fit(X, y)
