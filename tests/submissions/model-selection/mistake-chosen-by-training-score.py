# Chooses the model with the best training score: an unpruned decision tree, which fits the
# training rows perfectly and generalises worst. Loses the chosen-model test (2 points).
# expect: 17
# base: reference
# %% cell: compare
from sklearn.ensemble import RandomForestClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier


def candidate_models():
    return {
        "logistic": make_pipeline(make_preprocessor(), LogisticRegression(max_iter=1000)),
        "knn": make_pipeline(make_preprocessor(), KNeighborsClassifier(n_neighbors=50)),
        "tree": make_pipeline(make_preprocessor(), DecisionTreeClassifier(random_state=0)),
        "forest": make_pipeline(make_preprocessor(), RandomForestClassifier(n_estimators=60, min_samples_leaf=10, random_state=0)),
    }


def compare_models(models, X, y, folds):
    rows = {}
    for name, model in models.items():
        scores = cross_val_score(model, X, y, cv=folds, scoring="roc_auc")
        rows[name] = {"mean": scores.mean(), "std": scores.std()}
    return pd.DataFrame.from_dict(rows, orient="index").sort_values("mean", ascending=False)
# %% cell: chosen
CHOSEN = "tree"
