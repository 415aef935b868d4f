# One unpruned decision tree: it memorises the training customers and ranks new ones badly.
# Keeps a fraction of the pipeline points.
# expect: 6.5-8.5
# base: reference
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.tree import DecisionTreeClassifier

def build_pipeline():
    return make_pipeline(ColumnTransformer([
        ("num", SimpleImputer(strategy="median"), make_column_selector(dtype_include="number")),
        ("cat", OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
    ]), DecisionTreeClassifier(random_state=0))
