# Sound, written another way: a numerically stable sigmoid and separate gradient variables
# for logistic regression, and squared distances for k-NN via np.einsum. Full marks.
# expect: 14
# base: reference
# %% cell: logistic
def _sigmoid(z):
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def logistic_gd(X, y, lr, n_iter):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    b = 0.0
    for _ in range(n_iter):
        error = _sigmoid(X @ w + b) - y
        grad_w = X.T @ error / n
        grad_b = error.sum() / n
        w -= lr * grad_w
        b -= lr * grad_b
    return w, b
# %% cell: knn
def knn_predict(X_train, y_train, X_query, k):
    A, B = np.asarray(X_query, dtype=float), np.asarray(X_train, dtype=float)
    d2 = np.einsum("ij,ij->i", A, A)[:, None] + np.einsum("ij,ij->i", B, B)[None, :] - 2 * A @ B.T
    nearest = np.argsort(d2, axis=1)[:, :k]
    neighbour_labels = np.asarray(y_train)[nearest]
    labels = np.unique(neighbour_labels)
    counts = np.stack([(neighbour_labels == lab).sum(axis=1) for lab in labels], axis=1)
    return labels[counts.argmax(axis=1)]
