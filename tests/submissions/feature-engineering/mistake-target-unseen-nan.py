# Leaves categories unseen in training as NaN instead of the global mean.
# Loses the target-encoding test, and the out-of-fold one where a rare neighbourhood falls
# into a single fold (4 points).
# expect: 8
# base: reference
# %% cell: target
def target_encode(train_values, train_y, values, m):
    train_y = pd.Series(np.asarray(train_y, dtype=float), index=train_values.index)
    global_mean = train_y.mean()
    stats = train_y.groupby(train_values).agg(["count", "mean"])
    smoothed = (stats["count"] * stats["mean"] + m * global_mean) / (stats["count"] + m)
    return values.map(smoothed).astype(float)


def oof_target_encode(values, y, folds, m):
    out = pd.Series(np.nan, index=values.index, dtype=float)
    for train_idx, test_idx in folds:
        out.iloc[test_idx] = target_encode(values.iloc[train_idx], y.iloc[train_idx], values.iloc[test_idx], m).to_numpy()
    return out
