# Reports each component's share of the kept components' variance, so the ratios always sum
# to 1. Loses the ratio test (1 point).
# expect: 11
# base: reference
# %% cell: fit
def pca_fit(X, n_components):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    _, s, vt = np.linalg.svd(X - mean, full_matrices=False)
    kept = s[:n_components] ** 2
    return mean, vt[:n_components], kept / kept.sum()
