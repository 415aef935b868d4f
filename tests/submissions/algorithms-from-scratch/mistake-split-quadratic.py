# Correct, but recounts both sides for every candidate threshold: quadratic in the number of
# rows, too slow for 50,000. Loses the speed test (1 point).
# expect: 13
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
    best = (None, np.inf)
    for low, high in zip(values[:-1], values[1:]):
        t = (low + high) / 2.0
        left = x <= t
        impurity = (left.sum() * gini(y[left]) + (~left).sum() * gini(y[~left])) / len(x)
        if impurity < best[1]:
            best = (float(t), float(impurity))
    return best
