# Writes the from-scratch softmax and cross-entropy with scipy.special, which the task rules out
# (numpy only). Right answers, but the task rules' check takes both tasks' points, and those of
# backpropagation, which calls the scipy softmax (8 points lost).
# flag: rule
# expect: 14
# base: reference
# %% cell: softmax
from scipy.special import softmax as _scipy_softmax


def softmax(Z):
    return _scipy_softmax(Z, axis=1)
# %% cell: cross-entropy
from scipy.special import log_softmax as _log_softmax


def cross_entropy(Z, y):
    return float(-_log_softmax(Z, axis=1)[np.arange(len(y)), y].mean())
