# Divides by the number of predicted positives without a guard: precision and F1 come out NaN
# (with a warning) when nothing is predicted positive. Loses the metrics test (2 points).
# expect: 12
# base: reference
# %% cell: metrics
def binary_metrics(y_true, scores, threshold):
    y_true = np.asarray(y_true).astype(bool)
    scores = np.asarray(scores, dtype=float)
    predicted = scores >= threshold
    tp = np.sum(predicted & y_true)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = tp / np.sum(predicted)
        recall = tp / np.sum(y_true)
        f1 = 2 * precision * recall / (precision + recall)
    n_pos, n_neg = int(y_true.sum()), int((~y_true).sum())
    if n_pos == 0 or n_neg == 0:
        return {"precision": precision, "recall": recall, "f1": f1, "roc_auc": float("nan")}
    values, inverse = np.unique(scores, return_inverse=True)
    pos_at = np.bincount(inverse, weights=y_true, minlength=len(values))
    neg_at = np.bincount(inverse, weights=~y_true, minlength=len(values))
    auc = (pos_at * (np.cumsum(neg_at) - neg_at + 0.5 * neg_at)).sum() / (n_pos * n_neg)
    return {"precision": float(precision), "recall": float(recall), "f1": float(f1), "roc_auc": float(auc)}
