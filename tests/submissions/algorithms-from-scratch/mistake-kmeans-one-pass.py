# Stops after a single assignment-and-update round instead of iterating to convergence.
# Loses both k-means tests: not a fixed point, and blobs not recovered (3 points).
# expect: 11
# base: reference
# %% cell: kmeans
def kmeans(X, k, seed, max_iter=300):
    X = np.asarray(X, dtype=float)
    rng = np.random.default_rng(seed)
    centers = [X[rng.integers(len(X))]]
    for _ in range(1, k):
        d2 = ((X[:, None, :] - np.array(centers)[None, :, :]) ** 2).sum(axis=2).min(axis=1)
        centers.append(X[rng.choice(len(X), p=d2 / d2.sum())])
    centers = np.array(centers)
    labels = ((X[:, None, :] - centers[None]) ** 2).sum(axis=2).argmin(axis=1)
    centers = np.array([X[labels == c].mean(axis=0) for c in range(k)])
    return centers, labels
