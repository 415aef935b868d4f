# Sound, written another way: the full SVD sliced afterwards, the count from argmax over the
# cumulative share, and fewer components (7) in the pipeline. Full or near-full marks.
# expect: 11.5-12
# base: reference
# %% cell: fit
def pca_fit(X, n_components):
    centred = X - X.mean(axis=0, keepdims=True)
    u, s, vt = np.linalg.svd(centred)
    share = s**2 / np.sum(s**2)
    return X.mean(axis=0), vt[:n_components, :], share[:n_components]
# %% cell: k
def components_for(explained_variance_ratio, target):
    return int(np.argmax(np.cumsum(explained_variance_ratio) >= target - 1e-12)) + 1
# %% cell: pipeline
def pca_cv_scores(X, y, k, folds):
    return cross_val_score(make_pipeline(StandardScaler(), PCA(k), LogisticRegression(max_iter=1000)), X, y, cv=folds)


def build_pipeline():
    return make_pipeline(StandardScaler(), PCA(n_components=7), LogisticRegression(max_iter=1000, C=0.5))
