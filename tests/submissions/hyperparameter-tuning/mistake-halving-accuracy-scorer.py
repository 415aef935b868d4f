# ROC AUC swapped for an accuracy scorer object in the halving search (get_scorer("accuracy")),
# the grid given make_scorer(roc_auc_score) correctly. The halving search is refitted with ROC AUC
# and its results differ: loses test-halving (1 point).
# expect: 12
# base: reference
# %% cell: grid
from sklearn.metrics import make_scorer, roc_auc_score


def grid_search(X, y):
    grid = {
        "columntransformer__pipeline-1__simpleimputer__strategy": ["median", "mean"],
        "logisticregression__C": [0.01, 0.1, 1.0],
    }
    auc = make_scorer(roc_auc_score, response_method="predict_proba")
    return GridSearchCV(make_model(), grid, scoring=auc, cv=cv).fit(X, y)
# %% cell: halving
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.metrics import get_scorer
from sklearn.model_selection import HalvingGridSearchCV, HalvingRandomSearchCV


def halving_search(X, y):
    search = HalvingRandomSearchCV(
        make_model(),
        {"logisticregression__C": loguniform(1e-3, 1e2)},
        n_candidates=9,
        factor=3,
        min_resources=150,
        scoring=get_scorer("accuracy"),
        cv=3,
        random_state=0,
    )
    return search.fit(X, y)
