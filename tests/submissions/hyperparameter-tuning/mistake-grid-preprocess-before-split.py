# Fits the preprocessing on all rows before the search, then tunes a bare logistic regression
# on the transformed matrix: every fold's validation rows shaped the imputation and scaling.
# Loses the grid test (2 points).
# expect: 11
# base: reference
# %% cell: grid
def grid_search(X, y):
    prepared = make_model().steps[0][1].fit_transform(X)
    grid = {"C": [0.01, 0.1, 1.0, 10.0]}
    return GridSearchCV(LogisticRegression(max_iter=1000), grid, scoring="roc_auc", cv=cv).fit(prepared, y)
