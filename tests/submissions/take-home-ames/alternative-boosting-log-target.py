# Gradient boosting on ordinal-encoded categories, trained on log(price) by hand with a
# small wrapper-free approach (TransformedTargetRegressor with log1p / expm1); the metric
# written with pandas. Full marks.
# expect: 10
# base: reference
# %% cell: metric
def log_rmse(y_true, y_pred):
    errors = np.log(pd.Series(y_pred, dtype=float).clip(lower=1.0).to_numpy()) - np.log(pd.Series(y_true, dtype=float).to_numpy())
    return float((errors ** 2).mean() ** 0.5)
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor, make_column_selector
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

def build_pipeline():
    encode = ColumnTransformer([
        ("num", "passthrough", make_column_selector(dtype_include="number")),
        ("cat", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1),
         make_column_selector(dtype_exclude="number")),
    ])
    return TransformedTargetRegressor(
        make_pipeline(encode, HistGradientBoostingRegressor(max_iter=150, random_state=0)),
        func=np.log1p, inverse_func=np.expm1)
