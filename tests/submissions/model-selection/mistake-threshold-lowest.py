# Scans the thresholds from the lowest up and returns the first that reaches the recall target:
# the lowest score, so everyone is called. Loses the threshold test (2 points).
# expect: 17
# base: reference
# %% cell: threshold
def threshold_for_recall(is_positive, scores, target_recall):
    is_positive = np.asarray(is_positive, dtype=bool)
    scores = np.asarray(scores, dtype=float)
    for t in np.unique(scores):
        called = scores >= t
        if (called & is_positive).sum() / is_positive.sum() >= target_recall:
            return float(t), float((called & is_positive).sum() / called.sum())
