# Sound, written another way: distances by broadcasting and votes with np.bincount over label
# codes; k-means with its own loop structure; the split from per-class cumulative counts; the
# AUC from a sort and tie groups. Full marks.
# expect: 14
# base: reference
# %% cell: knn
def knn_predict(X_train, y_train, X_query, k):
    labels, codes = np.unique(np.asarray(y_train), return_inverse=True)
    out = np.empty(len(X_query), dtype=labels.dtype)
    for start in range(0, len(X_query), 500):  # chunks keep the distance matrix small
        block = np.asarray(X_query[start:start + 500], dtype=float)
        dist = np.sqrt(((block[:, None, :] - np.asarray(X_train, dtype=float)[None, :, :]) ** 2).sum(axis=2))
        nearest = np.argpartition(dist, k - 1, axis=1)[:, :k] if k < dist.shape[1] else np.argsort(dist, axis=1)
        for i, row in enumerate(nearest):
            out[start + i] = labels[np.bincount(codes[row], minlength=len(labels)).argmax()]
    return out
# %% cell: kmeans
def kmeans(X, k, seed, max_iter=300):
    X = np.asarray(X, dtype=float)
    rng = np.random.default_rng(seed)
    idx = [int(rng.integers(len(X)))]
    closest = ((X - X[idx[0]]) ** 2).sum(axis=1)
    while len(idx) < k:
        nxt = int(rng.choice(len(X), p=closest / closest.sum()))
        idx.append(nxt)
        closest = np.minimum(closest, ((X - X[nxt]) ** 2).sum(axis=1))
    centers = X[idx].copy()
    previous = np.full(len(X), -1)
    for _ in range(max_iter):
        dist = ((X[:, None, :] - centers[None]) ** 2).sum(axis=2)
        labels = dist.argmin(axis=1)
        sizes = np.bincount(labels, minlength=k)
        for empty in np.flatnonzero(sizes == 0):
            worst = dist[np.arange(len(X)), labels].argmax()
            labels[worst] = empty
            dist[worst] = 0
        centers = np.vstack([X[labels == c].mean(axis=0) for c in range(k)])
        if (labels == previous).all():
            break
        previous = labels
    return centers, labels
# %% cell: split
def best_split(x, y):
    x = np.asarray(x, dtype=float)
    classes, y_codes = np.unique(np.asarray(y), return_inverse=True)
    order = np.argsort(x, kind="mergesort")
    x_sorted, codes = x[order], y_codes[order]
    n = len(x)
    counts = np.zeros((n, len(classes)))
    counts[np.arange(n), codes] = 1
    cum = counts.cumsum(axis=0)
    totals = cum[-1]
    parent = 1 - np.sum((totals / n) ** 2)
    gaps = np.flatnonzero(np.diff(x_sorted) > 0)
    if len(gaps) == 0:
        return None, parent
    left = cum[gaps]
    nl = (gaps + 1).astype(float)
    nr = n - nl
    impurity = (nl * (1 - ((left / nl[:, None]) ** 2).sum(1)) + nr * (1 - (((totals - left) / nr[:, None]) ** 2).sum(1))) / n
    best = impurity.argmin()
    g = gaps[best]
    return (x_sorted[g] + x_sorted[g + 1]) / 2, impurity[best]
# %% cell: metrics
def binary_metrics(y_true, scores, threshold):
    y_true = np.asarray(y_true) == 1
    scores = np.asarray(scores, dtype=float)
    pred = scores >= threshold
    tp = np.sum(pred & y_true)
    precision = tp / pred.sum() if pred.sum() else 0.0
    recall = tp / y_true.sum() if y_true.sum() else 0.0
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    pos, neg = y_true.sum(), (~y_true).sum()
    if pos == 0 or neg == 0:
        return {"precision": precision, "recall": recall, "f1": f1, "roc_auc": np.nan}
    values, inverse = np.unique(scores, return_inverse=True)
    pos_at = np.bincount(inverse, weights=y_true, minlength=len(values))
    neg_at = np.bincount(inverse, weights=~y_true, minlength=len(values))
    neg_below = np.cumsum(neg_at) - neg_at
    auc = (pos_at * (neg_below + 0.5 * neg_at)).sum() / (pos * neg)
    return {"precision": precision, "recall": recall, "f1": f1, "roc_auc": auc}
