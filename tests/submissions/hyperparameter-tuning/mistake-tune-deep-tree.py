# Tunes a decision tree over impurity criteria only, leaving it unpruned: a high-variance
# model no better than the default tree. Loses most of the tuned-model test.
# expect: 9-10
# base: reference
# %% cell: tune
from sklearn.tree import DecisionTreeClassifier


def tune(X, y):
    tree = make_pipeline(make_model().steps[0][1], DecisionTreeClassifier(random_state=0))
    search = GridSearchCV(tree, {"decisiontreeclassifier__criterion": ["gini", "entropy"]}, scoring="roc_auc", cv=cv)
    return search.fit(X, y).best_estimator_
