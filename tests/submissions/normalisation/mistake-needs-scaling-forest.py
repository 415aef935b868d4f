# Claims the random forest needs scaling too. Loses the NEEDS_SCALING test (2 points).
# expect: 12
# base: reference
# %% cell: needs-scaling
NEEDS_SCALING = {"knn": True, "svm": True, "tree": False, "forest": True}
