# Uses the summed gradient instead of the mean: the step is n times too large.
# Loses the gradient-descent test (2 points).
# expect: 12
# base: reference
# %% cell: logistic
def logistic_gd(X, y, lr, n_iter):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1])
    b = 0.0
    for _ in range(n_iter):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ w + b, -500, 500)))
        w = w - lr * X.T @ (p - y)
        b = b - lr * np.sum(p - y)
    return w, b
