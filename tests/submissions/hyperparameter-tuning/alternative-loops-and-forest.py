# Sound, written another way: the text imputer and class weights in the grid, a halving grid,
# nested CV and the test discipline as explicit loops, and a small randomized search over a
# random forest as the tuned model. Full or near-full marks.
# expect: 12.5-13
# base: reference
# %% cell: grid
def grid_search(X, y):
    search = GridSearchCV(
        estimator=make_model(),
        param_grid=[{
            "columntransformer__pipeline-2__simpleimputer__strategy": ["most_frequent", "constant"],
            "logisticregression__C": [0.05, 0.5],
            "logisticregression__class_weight": [None, "balanced"],
        }],
        scoring="roc_auc",
        cv=cv,
        refit=True,
    )
    search.fit(X, y)
    return search
# %% cell: random
from scipy.stats import uniform


def random_search(X, y):
    space = {
        "logisticregression__C": loguniform(0.001, 100.0),
        "columntransformer__pipeline-1__standardscaler__with_mean": [True, False],
    }
    return RandomizedSearchCV(make_model(), space, n_iter=5, scoring="roc_auc", cv=cv, random_state=42).fit(X, y)
# %% cell: halving
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingGridSearchCV, HalvingRandomSearchCV


def halving_search(X, y):
    grid = {"logisticregression__C": list(np.logspace(-3, 2, 8))}
    return HalvingGridSearchCV(make_model(), grid, factor=2, min_resources=300, scoring="roc_auc", cv=3, random_state=1).fit(X, y)
# %% cell: nested
from sklearn.metrics import roc_auc_score


def nested_cv_estimate(search, X, y, outer_cv):
    scores = []
    for train, test in outer_cv.split(X, y):
        fitted = clone(search).fit(X.iloc[train], y.iloc[train])
        scores.append(fitted.score(X.iloc[test], y.iloc[test]))
    return float(np.mean(scores))
# %% cell: discipline
def tune_and_evaluate(X_dev, y_dev, X_test, y_test):
    best_c, best = None, -np.inf
    for c in [0.01, 0.1, 1.0, 10.0]:
        model = make_model().set_params(logisticregression__C=c)
        score = cross_val_score(model, X_dev, y_dev, cv=cv, scoring="roc_auc").mean()
        if score > best:
            best_c, best = c, score
    model = make_model().set_params(logisticregression__C=best_c).fit(X_dev, y_dev)
    proba = model.predict_proba(X_test)[:, list(model.classes_).index("bad")]
    return model, roc_auc_score(y_test == "bad", proba)
# %% cell: tune
from sklearn.ensemble import RandomForestClassifier


def tune(X, y):
    forest = make_pipeline(make_model().steps[0][1], RandomForestClassifier(n_estimators=80, random_state=0))
    search = RandomizedSearchCV(
        forest,
        {"randomforestclassifier__min_samples_leaf": [3, 5, 10, 20], "randomforestclassifier__max_features": [0.3, 0.5]},
        n_iter=3, scoring="roc_auc", cv=3, random_state=0,
    )
    return search.fit(X, y)
