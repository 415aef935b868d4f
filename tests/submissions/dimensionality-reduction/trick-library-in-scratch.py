# Writes the from-scratch pca_fit with scikit-learn's PCA (bound by the notebook's setup cell)
# instead of numpy's SVD: right values, but the task says numpy only. The grader's static rule
# for the fit cell (manifest.toml [rules.fit]) takes the points of both fit tests (3 points).
# flag: rule
# expect: 9
# base: reference
# %% cell: fit
def pca_fit(X, n_components):
    model = PCA(n_components=n_components, svd_solver="full").fit(X)
    return model.mean_, model.components_, model.explained_variance_ratio_
