# Starts backpropagation from one-hot minus softmax instead of softmax minus one-hot: every
# gradient has the wrong sign, and a step against it climbs the loss. Loses backpropagation
# (4 points).
# expect: 18
# base: reference
# %% cell: backward
def backward(params, X, y):
    H, Z = forward(params, X)
    n = len(X)
    one_hot = np.eye(Z.shape[1])[y]
    dZ = (one_hot - softmax(Z)) / n
    dH = dZ @ params["W2"].T
    dA = dH * (H > 0)
    return {"W1": X.T @ dA, "b1": dA.sum(axis=0), "W2": H.T @ dZ, "b2": dZ.sum(axis=0)}
