# A pipeline that cannot handle categories it never met, plus the kit's unseen-category helper
# replaced by the identity, so the kernel never builds rows with new categories (on the old main
# the bundle still claimed it had, and the scorer believed it: 11 -> 15). The gate holds the
# notebook for review.
# flag: tampering
# expect: 0
# base: reference
# %% cell: pipeline
import mlchallenge.kernel.predictions as _predictions
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

_predictions.unseen_categories = lambda X, seed, rows=5: X

def build_pipeline():
    numeric = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
    categorical = make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder())
    preprocess = ColumnTransformer([
        ("numeric", numeric, make_column_selector(dtype_include="number")),
        ("categorical", categorical, make_column_selector(dtype_exclude="number")),
    ])
    return make_pipeline(preprocess, LogisticRegression(max_iter=1000))
