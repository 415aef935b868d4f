# Takes the SVD of X without centring it: the first axis points at the mean, not along the
# largest variance. Loses the components and ratio tests (3 points).
# expect: 9
# base: reference
# %% cell: fit
def pca_fit(X, n_components):
    X = np.asarray(X, dtype=float)
    _, s, vt = np.linalg.svd(X, full_matrices=False)
    return X.mean(axis=0), vt[:n_components], (s**2)[:n_components] / (s**2).sum()
