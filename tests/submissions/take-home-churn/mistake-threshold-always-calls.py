# Only considers thresholds at the observed probabilities, so "call nobody" is never an
# option, even when an offer costs more than a lost customer. Loses the threshold points (4).
# expect: 8
# base: reference
# %% cell: threshold
def choose_threshold(y_true, churn_probability, offer_cost, churn_loss):
    leaves = np.asarray(y_true) == "Yes"
    proba = np.asarray(churn_probability, dtype=float)
    candidates = np.unique(proba)
    costs = [offer_cost * (proba >= t).sum() + churn_loss * (leaves & (proba < t)).sum() for t in candidates]
    return float(candidates[int(np.argmin(costs))])
