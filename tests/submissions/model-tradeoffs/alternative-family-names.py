# Sound: the short answers as scikit-learn class names, acronyms and articles ("SVC",
# "LogisticRegression", "a DecisionTreeRegressor", "the decision tree"), which the notebook says
# do not matter. Rejected before one rule normalised every question; full marks now.
# expect: 13
# base: reference
# %% cell: short
SHORT = {
    "learning-kind": "Unsupervised-Learning",
    "deep-tree": "VARIANCE",
    "penalty-direction": "more bias",
    "margin-family": "SVC",
    "calibrated": "LogisticRegression",
    "extrapolation": "a DecisionTreeRegressor",
}
# %% cell: overfits
OVERFITS = "the decision tree"
