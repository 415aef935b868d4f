# Ignores the costs and calls everyone above 0.5. Loses the threshold points (4).
# expect: 8
# base: reference
# %% cell: threshold
def choose_threshold(y_true, churn_probability, offer_cost, churn_loss):
    return 0.5
