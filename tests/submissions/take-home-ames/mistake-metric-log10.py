# Uses the base-10 logarithm instead of the natural one. Loses the metric (2).
# expect: 8
# base: reference
# %% cell: metric
def log_rmse(y_true, y_pred):
    return float(np.sqrt(np.mean((np.log10(np.maximum(np.asarray(y_pred, float), 1)) - np.log10(np.asarray(y_true, float))) ** 2)))
