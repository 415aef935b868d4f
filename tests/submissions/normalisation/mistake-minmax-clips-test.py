# Clips the scaled test rows into [0, 1], which MinMaxScaler does not do by default and
# which hides drift. Loses the min-max test (2 points).
# expect: 12
# base: reference
# %% cell: minmax
def min_max_scale(train, test):
    low, span = train.min(axis=0), train.max(axis=0) - train.min(axis=0)
    span[span == 0] = 1.0
    return (train - low) / span, np.clip((test - low) / span, 0.0, 1.0)
