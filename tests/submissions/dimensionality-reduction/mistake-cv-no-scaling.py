# Leaves the standardisation out of the cross-validated pipeline: PCA on the raw features is
# dominated by the largest ones. Loses the leak test (2 points), whose judge says to standardise.
# expect: 10
# base: reference
# %% cell: pipeline
def pca_cv_scores(X, y, k, folds):
    model = make_pipeline(PCA(n_components=k), LogisticRegression(max_iter=1000))
    return cross_val_score(model, X, y, cv=folds, scoring="accuracy")


def build_pipeline():
    return make_pipeline(StandardScaler(), PCA(n_components=10), LogisticRegression(max_iter=1000))
