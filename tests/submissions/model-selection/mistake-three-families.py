# Compares two logistic regressions, a tree and a forest: three model families, not four.
# Loses the candidates test (1 point).
# expect: 18
# base: reference
# %% cell: compare
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier


def candidate_models():
    return {
        "logistic": make_pipeline(make_preprocessor(), LogisticRegression(max_iter=1000)),
        "logistic-strong-penalty": make_pipeline(make_preprocessor(), LogisticRegression(C=0.05, max_iter=1000)),
        "tree": make_pipeline(make_preprocessor(), DecisionTreeClassifier(max_depth=5, random_state=0)),
        "forest": make_pipeline(make_preprocessor(), RandomForestClassifier(n_estimators=60, min_samples_leaf=10, random_state=0)),
    }


def compare_models(models, X, y, folds):
    rows = {}
    for name, model in models.items():
        scores = cross_val_score(model, X, y, cv=folds, scoring="roc_auc")
        rows[name] = {"mean": scores.mean(), "std": scores.std()}
    return pd.DataFrame.from_dict(rows, orient="index").sort_values("mean", ascending=False)
