# A one-hot encoder that raises on a category it has not seen: the pipeline fails on new
# houses. Loses the pipeline points (8).
# expect: 2
# base: reference
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

def build_pipeline():
    return TransformedTargetRegressor(make_pipeline(ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), make_column_selector(dtype_include="number")),
        ("cat", OneHotEncoder(), make_column_selector(dtype_exclude="number")),
    ]), Ridge(alpha=10.0)), func=np.log, inverse_func=np.exp)
