# Divides the weight gradients by n but forgets the biases: db1 and db2 are sums over the rows,
# n times the gradient of the mean loss. Loses backpropagation (4 points).
# expect: 18
# base: reference
# %% cell: backward
def backward(params, X, y):
    H, Z = forward(params, X)
    n = len(X)
    dZ = softmax(Z)
    dZ[np.arange(n), y] -= 1.0
    dA = (dZ @ params["W2"].T) * (H > 0)
    return {"W1": X.T @ dA / n, "b1": dA.sum(axis=0), "W2": H.T @ dZ / n, "b2": dZ.sum(axis=0)}
