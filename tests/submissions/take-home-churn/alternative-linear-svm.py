# Sound: a linear SVM (LinearSVC, scores from decision_function, no predict_proba), as the brief
# allows; the threshold chosen over those scores. The locked cell that runs the threshold used to
# call predict_proba and failed for it; it now takes decision_function too. Full marks.
# expect: 11.8-12
# base: reference
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import LinearSVC


def build_pipeline():
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    categorical = OneHotEncoder(handle_unknown="ignore")
    return make_pipeline(
        ColumnTransformer([
            ("numeric", numeric, make_column_selector(dtype_include="number")),
            ("categorical", categorical, make_column_selector(dtype_exclude="number")),
        ]),
        LinearSVC(C=0.05, dual=False),
    )
