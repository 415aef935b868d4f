# Returns the search from tune() without fitting it ("the grader will fit it").
# Loses the tuned-model test (4 points).
# expect: 9
# base: reference
# %% cell: tune
def tune(X, y):
    return GridSearchCV(make_model(), {"logisticregression__C": [0.03, 0.1, 0.3, 1.0]}, scoring="roc_auc", cv=cv)
