# Rescales the training rows but predicts the raw test rows, so every model "changes"; the
# answers follow that run. Loses the rescaling function (2 points) and the answers (2 points).
# expect: 9
# base: reference
# %% cell: scale
def changes_with_scale(model, X_train, y_train, X_test, factors):
    raw = clone(model).fit(X_train, y_train).predict(X_test)
    rescaled = clone(model).fit(X_train * factors, y_train).predict(X_test)
    return bool((np.asarray(raw) != np.asarray(rescaled)).any())
# %% cell: scale-answers
SCALE_SENSITIVE = {"knn": True, "svm": True, "logistic": True, "tree": True, "forest": True}
