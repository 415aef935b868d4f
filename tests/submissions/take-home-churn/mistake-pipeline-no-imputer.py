# Forgets that total_charges has missing values: the model cannot be fitted on new rows.
# Loses the pipeline points (8).
# expect: 4
# base: reference
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

def build_pipeline():
    return make_pipeline(ColumnTransformer([
        ("num", StandardScaler(), make_column_selector(dtype_include="number")),
        ("cat", OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
    ]), LogisticRegression(max_iter=2000))
