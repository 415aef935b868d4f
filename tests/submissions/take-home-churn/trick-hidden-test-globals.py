# Calls everyone above 0.5 (the costs ignored) and defines, in the notebook, the helpers and
# variables a kernel-side threshold test used to read from the notebook's globals (_cost, the
# churn labels and probabilities) so that any threshold looks cheapest. The threshold is judged
# in the grading process with its own cost function and its own copies of the inputs: it earns
# what the 0.5 answer earns (the threshold points lost). Nothing here reaches into the kit, so
# nothing is flagged.
# expect: 8
# base: reference
# %% cell: threshold
def choose_threshold(y_true, churn_probability, offer_cost, churn_loss):
    return 0.5

def _cost(t, leaves, proba, offer_cost, churn_loss):
    return 0.0

_leaves = np.zeros(1, dtype=bool)
_proba = np.zeros(1)
