# Reads the folds as index labels (X.loc) where they hold positions: right on a frame indexed
# 0..n-1, a KeyError (or the wrong rows) on any other. Loses the leak test (2 points).
# expect: 10
# base: reference
# %% cell: pipeline
def pca_cv_scores(X, y, k, folds):
    scores = []
    for train, test in folds:
        model = make_pipeline(StandardScaler(), PCA(n_components=k), LogisticRegression(max_iter=1000))
        model.fit(X.loc[train], y.loc[train])
        scores.append(model.score(X.loc[test], y.loc[test]))
    return np.array(scores)


def build_pipeline():
    return make_pipeline(StandardScaler(), PCA(n_components=10), LogisticRegression(max_iter=1000))
