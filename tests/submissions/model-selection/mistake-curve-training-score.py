# Picks the depth from the training curve, which keeps rising: the deepest tree.
# Loses the best-depth test (1 point).
# expect: 18
# base: reference
# %% cell: curve
CURVE = {"depth_1": "high bias", "depth_15": "high variance", "best_depth": 15}
