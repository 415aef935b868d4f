# Computes both accuracies correctly but answers that the first component kept the signal.
# Loses the toy test (2 points).
# expect: 10
# base: reference
# %% cell: lose
TOY = {
    "accuracy_raw": cross_val_score(LogisticRegression(), toy_X, toy_y, cv=toy_folds).mean(),
    "accuracy_pca1": cross_val_score(make_pipeline(PCA(n_components=1), LogisticRegression()), toy_X, toy_y, cv=toy_folds).mean(),
    "pca1_kept_the_signal": True,
}
