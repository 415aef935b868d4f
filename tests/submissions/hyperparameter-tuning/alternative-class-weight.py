# Sound alternative choices: balanced class weights in the grid with the numeric imputer,
# a halving random search over C and the penalty's class weight, and tune() returning the
# fitted search itself. Full or near-full marks.
# expect: 12.5-13
# base: reference
# %% cell: grid
def grid_search(X, y):
    grid = {
        "columntransformer__pipeline-1__simpleimputer__strategy": ["median", "most_frequent"],
        "logisticregression__class_weight": [None, "balanced"],
        "logisticregression__C": [0.1, 1.0],
    }
    return GridSearchCV(make_model(), grid, scoring="roc_auc", cv=cv).fit(X, y)
# %% cell: tune
def tune(X, y):
    search = RandomizedSearchCV(
        make_model(),
        {"logisticregression__C": loguniform(0.01, 10), "logisticregression__class_weight": [None, "balanced"]},
        n_iter=5, scoring="roc_auc", cv=cv, random_state=3,
    )
    return search.fit(X, y)
