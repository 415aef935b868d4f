# Passes the gradient back through the ReLU as if it were the identity: units that were off
# still get gradient. The gradients of W2 and b2 are right, those of W1 and b1 are not. Loses
# backpropagation (4 points).
# expect: 18
# base: reference
# %% cell: backward
def backward(params, X, y):
    H, Z = forward(params, X)
    n = len(X)
    dZ = softmax(Z)
    dZ[np.arange(n), y] -= 1.0
    dZ /= n
    dA = dZ @ params["W2"].T
    return {"W1": X.T @ dA, "b1": dA.sum(axis=0), "W2": H.T @ dZ, "b2": dZ.sum(axis=0)}
