# Sound, written another way: the short answers in other accepted spellings (capitals, "high
# variance", "SVM", hyphens, a full stop), the rescaling check with np.array_equal, the gaps
# with accuracy_score. Full marks.
# expect: 13
# base: reference
# %% cell: short
SHORT = {
    "learning-kind": "Unsupervised",
    "deep-tree": "high variance",
    "penalty-direction": "Higher bias.",
    "margin-family": "SVM",
    "calibrated": "Logistic-Regression",
    "extrapolation": "  the decision tree ".replace("the ", ""),
}
# %% cell: scale
def changes_with_scale(model, X_train, y_train, X_test, factors):
    before = clone(model).fit(X_train, y_train).predict(X_test)
    after = clone(model).fit(X_train.mul(factors, axis=1), y_train).predict(X_test.mul(factors, axis=1))
    return not np.array_equal(before, after)
# %% cell: depth
from sklearn.metrics import accuracy_score


def depth_gaps(make_model, depths, X_train, y_train, X_test, y_test):
    out = np.zeros(len(depths))
    for i, d in enumerate(depths):
        m = make_model(d)
        m.fit(X_train, y_train)
        out[i] = accuracy_score(y_train, m.predict(X_train)) - accuracy_score(y_test, m.predict(X_test))
    return out
# %% cell: overfits
OVERFITS = "The tree"
