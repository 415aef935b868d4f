# A lasso on one-hot categories, log target applied through FunctionTransformer-free
# TransformedTargetRegressor defaults, and the metric via scikit-learn. Full or near-full marks.
# expect: 9.7-10
# base: reference
# %% cell: metric
from sklearn.metrics import mean_squared_error

def log_rmse(y_true, y_pred):
    return float(np.sqrt(mean_squared_error(np.log(np.asarray(y_true, dtype=float)), np.log(np.clip(np.asarray(y_pred, dtype=float), 1, None)))))
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Lasso
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

def build_pipeline():
    prep = ColumnTransformer([
        ("num", Pipeline([("fill", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), make_column_selector(dtype_include="number")),
        ("cat", OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=10, sparse_output=False), make_column_selector(dtype_exclude="number")),
    ])
    return TransformedTargetRegressor(Pipeline([("prep", prep), ("lasso", Lasso(alpha=0.0005, max_iter=5000))]),
                                      func=np.log, inverse_func=np.exp)
