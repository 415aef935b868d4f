# Initialises k-means with k rows drawn uniformly instead of k-means++: with duplicate points two
# centers can start on the same spot and a cluster goes empty (NaN), and separated blobs are
# often merged. Loses the k-means tests.
# expect: 11
# base: reference
# %% cell: kmeans
def kmeans(X, k, seed, max_iter=300):
    X = np.asarray(X, dtype=float)
    rng = np.random.default_rng(seed)
    centers = X[rng.choice(len(X), size=k, replace=False)]
    labels = None
    for _ in range(max_iter):
        new_labels = ((X[:, None, :] - centers[None]) ** 2).sum(axis=2).argmin(axis=1)
        if labels is not None and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        centers = np.array([X[labels == c].mean(axis=0) for c in range(k)])
    return centers, labels
