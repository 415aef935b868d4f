# Reports the spread with pandas' default standard deviation (ddof=1) where the contract asks
# for numpy's (ddof=0). Loses the comparison test (2 points).
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
        "tree": make_pipeline(make_preprocessor(), DecisionTreeClassifier(max_depth=5, random_state=0)),
        "forest": make_pipeline(make_preprocessor(), RandomForestClassifier(n_estimators=60, min_samples_leaf=10, random_state=0)),
    }


def compare_models(models, X, y, folds):
    scores = pd.DataFrame({name: cross_val_score(m, X, y, cv=folds, scoring="roc_auc") for name, m in models.items()})
    return pd.DataFrame({"mean": scores.mean(), "std": scores.std()}).sort_values("mean", ascending=False)
