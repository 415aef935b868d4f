# ROC AUC swapped for an accuracy scorer object in the halving search (get_scorer("accuracy")).
# A scorer object is taken for ROC AUC when the search is refitted, and its results differ:
# loses test-halving (1 point).
# expect: 12
# base: reference
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
