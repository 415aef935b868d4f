# Centres on the median but divides by the standard deviation instead of the IQR.
# Loses the robust-scaling test (2 points).
# expect: 12
# base: reference
# %% cell: robust
def robust_scale(train, test):
    center, scale = np.median(train, axis=0), train.std(axis=0)
    scale[scale == 0] = 1.0
    return (train - center) / scale, (test - center) / scale
