# Takes the log of raw predictions: a zero or negative prediction gives inf or nan.
# Loses the metric (2).
# expect: 8
# base: reference
# %% cell: metric
def log_rmse(y_true, y_pred):
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sqrt(np.mean((np.log(np.asarray(y_pred, float)) - np.log(np.asarray(y_true, float))) ** 2)))
