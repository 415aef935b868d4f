# Logistic regression on ordinal-encoded categories with a plain Python loop over candidate
# thresholds: a different but sound route. Full marks.
# expect: 11.8-12
# base: reference
# %% cell: pipeline
from sklearn.compose import make_column_transformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder, StandardScaler

def build_pipeline():
    return make_pipeline(
        make_column_transformer(
            (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), make_column_selector(dtype_include="number")),
            (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), make_column_selector(dtype_exclude="number")),
        ),
        LogisticRegression(max_iter=2000),
    )
# %% cell: threshold
def choose_threshold(y_true, churn_probability, offer_cost, churn_loss):
    pairs = list(zip(list(y_true), [float(p) for p in churn_probability]))
    candidates = sorted({p for _, p in pairs}) + [float("inf")]
    def cost(t):
        return sum(offer_cost if p >= t else (churn_loss if label == "Yes" else 0.0) for label, p in pairs)
    return min(candidates, key=cost)
