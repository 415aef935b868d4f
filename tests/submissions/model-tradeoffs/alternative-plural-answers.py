# Sound: plural and longer accepted forms ("support vector machines", "trees",
# "unsupervised learning"), and the gaps as a list comprehension. Full marks.
# expect: 13
# base: reference
# %% cell: short
SHORT = {
    "learning-kind": "unsupervised learning",
    "deep-tree": "Variance",
    "penalty-direction": "high bias",
    "margin-family": "support vector machines",
    "calibrated": "logistic",
    "extrapolation": "trees",
}
# %% cell: depth
def depth_gaps(make_model, depths, X_train, y_train, X_test, y_test):
    fitted = [make_model(d).fit(X_train, y_train) for d in depths]
    return np.array([m.score(X_train, y_train) - m.score(X_test, y_test) for m in fitted])
# %% cell: overfits
OVERFITS = "single tree"
