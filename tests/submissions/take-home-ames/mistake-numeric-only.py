# Ignores every text column (neighbourhood, quality ratings...): loses real signal.
# Partial credit on the pipeline.
# expect: 8.6-9.5
# base: reference
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

def build_pipeline():
    numeric = ColumnTransformer([("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), make_column_selector(dtype_include="number"))])
    return TransformedTargetRegressor(make_pipeline(numeric, Ridge(alpha=10.0)), func=np.log, inverse_func=np.exp)
