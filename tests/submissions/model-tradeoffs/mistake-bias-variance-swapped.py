# Swaps bias and variance: calls the overfitting deep tree high bias and a stronger penalty
# a move toward variance. Loses two short answers (2 points).
# expect: 11
# base: reference
# %% cell: short
SHORT = {
    "learning-kind": "unsupervised",
    "deep-tree": "bias",
    "penalty-direction": "variance",
    "margin-family": "support vector machine",
    "calibrated": "logistic regression",
    "extrapolation": "decision tree",
}
