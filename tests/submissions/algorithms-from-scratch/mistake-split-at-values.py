# Puts the threshold at a data value (x <= value) instead of midway to the next distinct value:
# the same partition, a different threshold from scikit-learn's. Loses the split test (2 points)
# and the speed test (1 point), which now also checks the split it timed.
# expect: 11
# base: reference
# %% cell: split
def best_split(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y)
    classes = np.unique(y)

    def gini(labels):
        if len(labels) == 0:
            return 0.0
        shares = np.array([(labels == c).mean() for c in classes])
        return 1.0 - (shares**2).sum()

    values = np.unique(x)
    if len(values) == 1:
        return None, gini(y)
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    onehot = (ys[:, None] == classes[None, :]).astype(float)
    cum = onehot.cumsum(axis=0)
    ends = np.searchsorted(xs, values[:-1], side="right")  # rows with x <= value
    left = cum[ends - 1]
    right = cum[-1] - left
    nl, nr = ends.astype(float), len(x) - ends
    imp = (nl * (1 - ((left / nl[:, None]) ** 2).sum(1)) + nr * (1 - ((right / nr[:, None]) ** 2).sum(1))) / len(x)
    best = imp.argmin()
    return float(values[best]), float(imp[best])
