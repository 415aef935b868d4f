# Picks the threshold with the fewest misclassified customers instead of the lowest cost.
# Loses the threshold points (4).
# expect: 8
# base: reference
# %% cell: threshold
def choose_threshold(y_true, churn_probability, offer_cost, churn_loss):
    leaves = np.asarray(y_true) == "Yes"
    proba = np.asarray(churn_probability, dtype=float)
    candidates = np.unique(proba)
    errors = [((proba >= t) != leaves).sum() for t in candidates]
    return float(candidates[int(np.argmin(errors))])
