# Divides singular values, not their squares: the share of the standard deviations, not of the
# variance. Loses the ratio test (1 point).
# expect: 11
# base: reference
# %% cell: fit
def pca_fit(X, n_components):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    _, s, vt = np.linalg.svd(X - mean, full_matrices=False)
    return mean, vt[:n_components], s[:n_components] / s.sum()
