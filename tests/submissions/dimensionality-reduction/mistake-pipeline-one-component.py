# Keeps a single component in the pipeline ("the first one holds most of the variance"):
# no better than the plain k-NN baseline. Loses most of the pipeline test.
# expect: 10-11
# base: reference
# %% cell: pipeline
def pca_cv_scores(X, y, k, folds):
    model = make_pipeline(StandardScaler(), PCA(n_components=k), LogisticRegression(max_iter=1000))
    return cross_val_score(model, X, y, cv=folds, scoring="accuracy")


def build_pipeline():
    return make_pipeline(StandardScaler(), PCA(n_components=1), LogisticRegression(max_iter=1000))
