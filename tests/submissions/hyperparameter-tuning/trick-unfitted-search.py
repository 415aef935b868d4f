# Builds the GridSearchCV by hand and never fits it: cross-validates only the candidate it
# claims won (so best_score_ is a true ROC AUC over cv), fits that one, and writes made-up
# cv_results_ for the rest. The old hidden test, which checked best_score_ only, passed it; the
# grader now rebuilds the search, fits it and compares. Loses the grid test (2 points).
# expect: 11
# base: reference
# %% cell: grid
from sklearn.model_selection import ParameterGrid


def grid_search(X, y):
    grid = {
        "columntransformer__pipeline-1__simpleimputer__strategy": ["median", "mean"],
        "logisticregression__C": [0.01, 0.1, 1.0],
    }
    search = GridSearchCV(make_model(), grid, scoring="roc_auc", cv=cv)  # never fitted
    chosen = {"columntransformer__pipeline-1__simpleimputer__strategy": "median", "logisticregression__C": 0.1}
    best = make_model().set_params(**chosen)
    score = cross_val_score(best, X, y, cv=cv, scoring="roc_auc").mean()
    params = list(ParameterGrid(grid))
    means = np.array([score if p == chosen else score - 0.01 * (i + 1) for i, p in enumerate(params)])
    search.cv_results_ = {"params": params, "mean_test_score": means, "std_test_score": np.full(len(params), 0.01),
                          "rank_test_score": (-means).argsort().argsort() + 1}
    search.best_params_, search.best_score_, search.best_index_ = chosen, score, params.index(chosen)
    search.best_estimator_ = clone(best).fit(X, y)
    return search
