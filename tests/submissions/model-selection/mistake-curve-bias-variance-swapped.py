# Swaps bias and variance: calls the shallow tree overfit and the deep one underfit.
# Loses the regimes test (1 point).
# expect: 18
# base: reference
# %% cell: curve
CURVE = {"depth_1": "high variance", "depth_15": "high bias", "best_depth": 4}
