# Sums the rows' losses where the contract asks for their mean. Loses the cross-entropy task
# (2 points).
# expect: 20
# base: reference
# %% cell: cross-entropy
def cross_entropy(Z, y):
    Z = np.asarray(Z, dtype=float)
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].sum())
