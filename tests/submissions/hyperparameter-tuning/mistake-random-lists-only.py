# A "randomized" search that draws from short lists only: it samples a grid, and an
# unseeded one. Loses the random-search test (2 points).
# expect: 11
# base: reference
# %% cell: random
def random_search(X, y):
    space = {"logisticregression__C": [0.001, 0.01, 0.1, 1.0, 10.0], "logisticregression__class_weight": [None, "balanced"]}
    return RandomizedSearchCV(make_model(), space, n_iter=6, scoring="roc_auc", cv=cv).fit(X, y)
