# Charges the offer cost for missed leavers and the churn loss for calls: the costs swapped.
# Loses the threshold points (4).
# expect: 8
# base: reference
# %% cell: threshold
def choose_threshold(y_true, churn_probability, offer_cost, churn_loss):
    leaves = np.asarray(y_true) == "Yes"
    proba = np.asarray(churn_probability, dtype=float)
    best_t, best_cost = np.inf, offer_cost * leaves.sum()
    for t in np.unique(proba):
        called = proba >= t
        cost = churn_loss * called.sum() + offer_cost * (leaves & ~called).sum()
        if cost < best_cost:
            best_t, best_cost = float(t), cost
    return best_t
