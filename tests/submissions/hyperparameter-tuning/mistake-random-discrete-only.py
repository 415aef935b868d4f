# A randomized search whose only distribution is discrete (randint for max_iter), C from a list:
# nothing is drawn from a continuous range. The old check asked for any object with .rvs, which
# randint has. Loses the random-search test (2 points).
# expect: 11
# base: reference
# %% cell: random
from scipy.stats import randint


def random_search(X, y):
    distributions = {
        "logisticregression__C": [0.001, 0.01, 0.1, 1.0, 10.0],
        "logisticregression__max_iter": randint(500, 2000),
    }
    search = RandomizedSearchCV(
        make_model(), distributions, n_iter=6, scoring="roc_auc", cv=cv, random_state=0
    )
    return search.fit(X, y)
