# Forgets to drop the target: the pipeline lists its columns by name, `churn` among them, and
# scores near-perfectly on its own data. New customers come without the answer, so the
# refitted pipeline cannot run on them. Loses the pipeline test (8 points).
# expect: 4
# base: reference
# %% cell: pipeline
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMBERS = ["tenure", "monthly_charges", "total_charges", "senior_citizen"]
TEXT = ["contract", "internet_service", "payment_method", "churn"]


def build_pipeline():
    return make_pipeline(
        ColumnTransformer([
            ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMBERS),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), TEXT),
        ]),
        LogisticRegression(C=0.5, max_iter=2000),
    )
