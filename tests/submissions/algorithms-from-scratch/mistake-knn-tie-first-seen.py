# Breaks vote ties by the label seen first among the neighbours (Counter.most_common), not the
# smallest label as the contract and scikit-learn say. Loses the k-NN test (2 points) and the
# large-input test, whose three classes tie often (1 point).
# expect: 11
# base: reference
# %% cell: knn
from collections import Counter


def knn_predict(X_train, y_train, X_query, k):
    X_train, X_query, y_train = np.asarray(X_train, float), np.asarray(X_query, float), np.asarray(y_train)
    d2 = (X_query**2).sum(axis=1)[:, None] - 2 * X_query @ X_train.T + (X_train**2).sum(axis=1)[None, :]
    nearest = np.argsort(d2, axis=1, kind="stable")[:, :k]
    return np.array([Counter(y_train[row].tolist()).most_common(1)[0][0] for row in nearest])
