# The gradient of the summed loss: softmax minus one-hot is not divided by the number of rows,
# so every gradient is n times too large (the contract's loss is the mean). Loses
# backpropagation (4 points).
# expect: 18
# base: reference
# %% cell: backward
def backward(params, X, y):
    H, Z = forward(params, X)
    dZ = softmax(Z)
    dZ[np.arange(len(X)), y] -= 1.0
    dH = dZ @ params["W2"].T
    dA = dH * (H > 0)
    return {"W1": X.T @ dA, "b1": dA.sum(axis=0), "W2": H.T @ dZ, "b2": dZ.sum(axis=0)}
