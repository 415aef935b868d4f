# Exponentiates the logits as they are: right on ordinary logits, but np.exp overflows to inf for
# logits in the hundreds (inf / inf is NaN) and every term underflows to 0 for very negative ones.
# Loses the softmax task (2 points); the rest is the reference's.
# expect: 20
# base: reference
# %% cell: softmax
def softmax(Z):
    exps = np.exp(Z)
    return exps / exps.sum(axis=1, keepdims=True)
