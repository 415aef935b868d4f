# Sound, written another way: the eigendecomposition of the covariance matrix (np.linalg.eigh,
# sorted by decreasing eigenvalue), a loop for the count, explicit fold fits, and PCA asked for
# 95 % of the variance in the pipeline. Full or near-full marks.
# expect: 11.5-12
# base: reference
# %% cell: fit
def pca_fit(X, n_components):
    X = np.array(X, dtype=float)
    mean = X.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(X - mean, rowvar=False))
    order = np.argsort(values)[::-1]
    values, vectors = np.clip(values[order], 0, None), vectors[:, order]
    return mean, vectors[:, :n_components].T, values[:n_components] / values.sum()
# %% cell: k
def components_for(explained_variance_ratio, target):
    total = 0.0
    for count, share in enumerate(explained_variance_ratio, start=1):
        total += share
        if total >= target - 1e-12:
            return count
    return len(explained_variance_ratio)
# %% cell: pipeline
def pca_cv_scores(X, y, k, folds):
    scores = []
    for train, test in folds:
        scaler = StandardScaler().fit(X.iloc[train])
        pca = PCA(n_components=k).fit(scaler.transform(X.iloc[train]))
        model = LogisticRegression(max_iter=1000).fit(pca.transform(scaler.transform(X.iloc[train])), y.iloc[train])
        predicted = model.predict(pca.transform(scaler.transform(X.iloc[test])))
        scores.append(np.mean(predicted == y.iloc[test].to_numpy()))
    return np.array(scores)


def build_pipeline():
    return make_pipeline(StandardScaler(), PCA(n_components=0.95), LogisticRegression(max_iter=1000))
