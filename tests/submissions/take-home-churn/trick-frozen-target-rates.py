# Target encoding fixed outside the pipeline: the churn rate of each category, computed once from
# the public rows with their labels and frozen into a FunctionTransformer, so the pipeline's fit
# learns nothing about the categories. On the grader's rows it scores like sound work (the
# public rows are among the rows it is refitted on), so no point is lost. The refit with every
# category renamed finds no rate for any category and scores lower: the report shows that figure
# and asks where the names came from.
# expect: 11.5-12
# base: reference
# flag: renamed
# %% cell: pipeline
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

_public = pd.read_csv("data/churn_train.csv")
_TEXT = [c for c in _public.columns if c != "churn" and not pd.api.types.is_numeric_dtype(_public[c])]
_OVERALL = float((_public["churn"] == "Yes").mean())
_RATES = {c: (_public["churn"] == "Yes").groupby(_public[c]).mean().to_dict() for c in _TEXT}


def _rates(frame):
    out = frame.copy()
    for column in _TEXT:
        out[column] = out[column].map(_RATES[column]).astype(float).fillna(_OVERALL)
    return out


def build_pipeline():
    return make_pipeline(FunctionTransformer(_rates), SimpleImputer(strategy="median"),
                         StandardScaler(), LogisticRegression(C=0.5, max_iter=2000))
