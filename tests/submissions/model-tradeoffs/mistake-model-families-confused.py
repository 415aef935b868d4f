# Mixes up the model families: k-means as supervised (it has a k), naive Bayes for the margin,
# the SVM as calibrated, linear regression as the one that flattens. Loses four short answers.
# expect: 9
# base: reference
# %% cell: short
SHORT = {
    "learning-kind": "supervised",
    "deep-tree": "variance",
    "penalty-direction": "bias",
    "margin-family": "naive Bayes",
    "calibrated": "SVM",
    "extrapolation": "linear regression",
}
