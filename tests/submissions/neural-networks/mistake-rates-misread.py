# Reads the curves as "the larger the learning rate the better" and takes the raw grey levels'
# curve for a good one. Loses the learning-rate task (2 points).
# expect: 20
# base: reference
# %% cell: rates
RUNS = {"lr=0.001": "too slow", "lr=0.1": "good", "lr=5": "good", "raw pixels, lr=0.1": "good"}
