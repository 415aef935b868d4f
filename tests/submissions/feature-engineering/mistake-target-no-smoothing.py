# Ignores the smoothing strength: the plain category mean, so a neighbourhood with one sale is
# encoded by that sale's price. Loses both target-encoding tests (4 points).
# expect: 8
# base: reference
# %% cell: target
def target_encode(train_values, train_y, values, m):
    train_y = pd.Series(np.asarray(train_y, dtype=float), index=train_values.index)
    means = train_y.groupby(train_values).mean()
    return values.map(means).astype(float).fillna(train_y.mean())


def oof_target_encode(values, y, folds, m):
    out = pd.Series(np.nan, index=values.index, dtype=float)
    for train_idx, test_idx in folds:
        out.iloc[test_idx] = target_encode(values.iloc[train_idx], y.iloc[train_idx], values.iloc[test_idx], m).to_numpy()
    return out
