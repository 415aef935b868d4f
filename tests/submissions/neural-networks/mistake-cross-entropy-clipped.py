# Guards the log with np.clip(p, 1e-12, 1): finite everywhere, right on ordinary logits, but a
# row whose true class is 1000 below the largest logit costs about 27.6 instead of about 1000.
# The contract says exactly that a clipped value is wrong. Half of the task (1 point) lost.
# expect: 21
# base: reference
# %% cell: cross-entropy
def cross_entropy(Z, y):
    probs = softmax(np.asarray(Z, dtype=float))
    picked = np.clip(probs[np.arange(len(y)), y], 1e-12, 1.0)
    return float(-np.mean(np.log(picked)))
