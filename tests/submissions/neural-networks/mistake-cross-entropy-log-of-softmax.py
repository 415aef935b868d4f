# Takes the log of the softmax probabilities: right on ordinary logits, but where a true class's
# logit is far below the largest its probability underflows to 0 and the loss becomes inf.
# Half of the cross-entropy task (1 point) lost.
# expect: 21
# base: reference
# %% cell: cross-entropy
def cross_entropy(Z, y):
    probs = softmax(Z)
    return float(-np.log(probs[np.arange(len(y)), y]).mean())
