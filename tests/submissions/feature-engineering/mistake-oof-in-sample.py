# "Out-of-fold" in name only: encodes every row with statistics from all rows, its own price
# included. Loses the out-of-fold test (2 points).
# expect: 10
# base: reference
# flag: leakage
# %% cell: target
def target_encode(train_values, train_y, values, m):
    train_y = pd.Series(np.asarray(train_y, dtype=float), index=train_values.index)
    global_mean = train_y.mean()
    stats = train_y.groupby(train_values).agg(["count", "mean"])
    smoothed = (stats["count"] * stats["mean"] + m * global_mean) / (stats["count"] + m)
    return values.map(smoothed).astype(float).fillna(global_mean)


def oof_target_encode(values, y, folds, m):
    return target_encode(values, y, values, m)
