# The from-scratch loss is numpy only: it keeps each row's log-sum-exp in a local variable it
# calls `logsumexp`. Later, in the pipeline cell (where libraries are allowed), the candidate
# double-checks that loss against scipy.special.logsumexp on the public digits, which the task
# permits outside tasks 1 to 6. Nothing from scipy runs inside cross_entropy. Full marks.
# expect: 22
# base: reference
# %% cell: cross-entropy
def cross_entropy(Z, y):
    Z = np.asarray(Z, dtype=float)
    top = Z.max(axis=1)
    logsumexp = top + np.log(np.exp(Z - top[:, None]).sum(axis=1))
    return float(np.mean(logsumexp - Z[np.arange(len(y)), y]))
# %% cell: pipeline
from scipy.special import logsumexp
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# a check of task 2 against scipy, outside the from-scratch functions
_logits = X_train[:50] @ np.random.default_rng(0).normal(size=(64, 10)) * 40
_check = float(np.mean(logsumexp(_logits, axis=1) - _logits[np.arange(50), y_train[:50]]))
print("cross_entropy agrees with scipy:", np.isclose(cross_entropy(_logits, y_train[:50]), _check))


def build_pipeline():
    return make_pipeline(
        StandardScaler(),
        MLPClassifier(hidden_layer_sizes=(128,), early_stopping=True, n_iter_no_change=20,
                      max_iter=500, random_state=0),
    )
