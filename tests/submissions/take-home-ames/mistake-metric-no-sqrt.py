# Returns the mean squared error of the logs, without the square root. Loses the metric (2).
# expect: 8
# base: reference
# %% cell: metric
def log_rmse(y_true, y_pred):
    return float(np.mean((np.log(np.maximum(np.asarray(y_pred, float), 1)) - np.log(np.asarray(y_true, float))) ** 2))
