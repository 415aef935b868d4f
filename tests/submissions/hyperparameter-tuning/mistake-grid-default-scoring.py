# Leaves the grid search on its default scoring (accuracy) where the task asks for ROC AUC:
# on an imbalanced target it picks by the wrong yardstick. Loses the grid test (2 points).
# expect: 11
# base: reference
# %% cell: grid
def grid_search(X, y):
    grid = {
        "columntransformer__pipeline-1__simpleimputer__strategy": ["median", "mean"],
        "logisticregression__C": [0.01, 0.1, 1.0],
    }
    return GridSearchCV(make_model(), grid, cv=cv).fit(X, y)
