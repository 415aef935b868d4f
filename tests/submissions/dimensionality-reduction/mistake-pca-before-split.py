# Fits the scaler and PCA on all rows once, then cross-validates only the logistic regression:
# the test rows shaped the components. Loses the leak test (2 points).
# expect: 10
# base: reference
# flag: leakage
# %% cell: pipeline
def pca_cv_scores(X, y, k, folds):
    reduced = PCA(n_components=k).fit_transform(StandardScaler().fit_transform(X))
    return cross_val_score(LogisticRegression(max_iter=1000), reduced, y, cv=folds, scoring="accuracy")


def build_pipeline():
    return make_pipeline(StandardScaler(), PCA(n_components=10), LogisticRegression(max_iter=1000))
