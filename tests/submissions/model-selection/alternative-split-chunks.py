# Sound, written another way: each class shuffled and cut into near-equal chunks with
# np.array_split; cross-validation with .take; compared with the candidate's own cross_val;
# gradient boosting among the families and chosen. Full or near-full marks.
# expect: 18.5-19
# base: reference
# %% cell: folds
def stratified_kfold_indices(y, n_splits=5, seed=0):
    labels = np.asarray(y)
    rng = np.random.default_rng(seed)
    test_parts = [[] for _ in range(n_splits)]
    for c, label in enumerate(sorted(set(labels.tolist()))):
        members = rng.permutation(np.where(labels == label)[0])
        for j, chunk in enumerate(np.array_split(members, n_splits)):
            test_parts[(j + c) % n_splits].append(chunk)
    everything = np.arange(len(labels))
    folds = []
    for parts in test_parts:
        test_idx = np.sort(np.concatenate(parts))
        folds.append((np.setdiff1d(everything, test_idx), test_idx))
    return folds
# %% cell: cv
def cross_val(model, X, y, folds, scoring):
    out = np.zeros(len(folds))
    for i, (tr, te) in enumerate(folds):
        m = clone(model)
        m.fit(X.take(tr), y.take(tr))
        out[i] = scoring(m, X.take(te), y.take(te))
    return out
# %% cell: compare
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier


def candidate_models():
    return {
        "logistic": make_pipeline(make_preprocessor(), LogisticRegression(C=0.5, max_iter=2000)),
        "knn": make_pipeline(make_preprocessor(), KNeighborsClassifier(n_neighbors=40, weights="distance")),
        "tree": make_pipeline(make_preprocessor(), DecisionTreeClassifier(max_depth=4, random_state=1)),
        "gboost": make_pipeline(make_preprocessor(), GradientBoostingClassifier(n_estimators=60, max_depth=2, random_state=0)),
    }


def compare_models(models, X, y, folds):
    table = pd.DataFrame(
        [(name, np.mean(s), np.std(s)) for name, s in
         ((name, cross_val(m, X, y, folds, roc_auc)) for name, m in models.items())],
        columns=["model", "mean", "std"],
    ).set_index("model")
    table.index.name = None
    return table.sort_values(by="mean", ascending=False)
# %% cell: chosen
CHOSEN = "gboost"
