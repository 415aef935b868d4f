# Counts only strictly ordered positive-negative pairs: ties count zero instead of one half.
# Loses both metrics tests (3 points).
# expect: 11
# base: reference
# %% cell: metrics
def binary_metrics(y_true, scores, threshold):
    y_true = np.asarray(y_true).astype(bool)
    scores = np.asarray(scores, dtype=float)
    predicted = scores >= threshold
    tp = int((predicted & y_true).sum())
    precision = tp / predicted.sum() if predicted.any() else 0.0
    recall = tp / y_true.sum() if y_true.any() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    pos, neg = np.sort(scores[y_true]), np.sort(scores[~y_true])
    if len(pos) == 0 or len(neg) == 0:
        return {"precision": precision, "recall": recall, "f1": f1, "roc_auc": float("nan")}
    below = np.searchsorted(neg, pos, side="left")  # negatives strictly below each positive
    return {"precision": precision, "recall": recall, "f1": f1, "roc_auc": below.sum() / (len(pos) * len(neg))}
