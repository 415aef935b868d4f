# Correct on small inputs, but compares every positive with every negative in blocks: the time
# grows with the product of the class sizes and 200,000 rows run past the limit.
# Loses the speed test (1 point).
# expect: 13
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
    pos, neg = scores[y_true], scores[~y_true]
    if len(pos) == 0 or len(neg) == 0:
        return {"precision": precision, "recall": recall, "f1": f1, "roc_auc": float("nan")}
    total = 0.0
    for start in range(0, len(pos), 200):
        block = pos[start:start + 200, None]
        total += (block > neg[None, :]).sum() + 0.5 * (block == neg[None, :]).sum()
    return {"precision": precision, "recall": recall, "f1": f1, "roc_auc": total / (len(pos) * len(neg))}
