# Subtracts each row's maximum in place (Z -= ...), so the caller's logits are overwritten with
# the shifted ones; the probabilities themselves are right and stable. The contract says "do
# not modify Z". Loses the softmax task (2 points); backward only hands softmax its own fresh
# logits, so nothing else changes.
# expect: 20
# base: reference
# %% cell: softmax
def softmax(Z):
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    return Z / Z.sum(axis=1, keepdims=True)
