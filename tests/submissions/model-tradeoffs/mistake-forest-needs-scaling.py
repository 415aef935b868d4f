# Believes ensembles and penalised linear models behave the other way round: the forest needs
# scaling, the logistic regression does not. Loses the answers test (2 points).
# expect: 11
# base: reference
# %% cell: scale-answers
SCALE_SENSITIVE = {"knn": True, "svm": True, "logistic": False, "tree": False, "forest": True}
