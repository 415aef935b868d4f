# Sound: ROC AUC given as scorer objects instead of the string, get_scorer("roc_auc") for the
# halving search and make_scorer(roc_auc_score, response_method="predict_proba") for the grid.
# The halving test used to insist on the string; each search is now judged by refitting it
# with ROC AUC and comparing its results. Full marks.
# expect: 13
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
        scoring=get_scorer("roc_auc"),
        cv=3,
        random_state=0,
    )
    return search.fit(X, y)
