# Subtracts the largest logit of the whole array instead of each row's: right when the rows'
# logits are close, but a row whose logits are all far below the global maximum underflows to
# 0 / 0. Loses the softmax task (2 points).
# expect: 20
# base: reference
# %% cell: softmax
def softmax(Z):
    exps = np.exp(Z - np.max(Z))
    return exps / exps.sum(axis=1, keepdims=True)
