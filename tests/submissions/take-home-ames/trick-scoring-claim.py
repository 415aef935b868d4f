# A price model that cannot handle neighbourhoods it never met (one-hot encoding that errors on
# unknown categories), plus the kit's unseen-category helper replaced by the identity so the
# kernel never builds rows with new categories (on the old main the scorer believed the bundle's
# claim that it had). The gate holds the notebook: it imports and patches the kit.
# flag: tampering
# expect: 0
# base: reference
# %% cell: pipeline
import mlchallenge.kernel.predictions as _predictions
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

_predictions.unseen_categories = lambda X, seed, rows=5: X

def build_pipeline():
    preprocess = ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
         make_column_selector(dtype_include="number")),
        ("categorical", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()),
         make_column_selector(dtype_exclude="number")),
    ])
    return TransformedTargetRegressor(make_pipeline(preprocess, Ridge(alpha=1.0)),
                                      func=np.log, inverse_func=np.exp)
