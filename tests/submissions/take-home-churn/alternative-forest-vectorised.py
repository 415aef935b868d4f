# A random forest instead of logistic regression, and the threshold search vectorised by
# sorting the probabilities. Full marks.
# expect: 11.8-12
# base: reference
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

def build_pipeline():
    prep = ColumnTransformer([
        ("num", SimpleImputer(strategy="median"), make_column_selector(dtype_include="number")),
        ("cat", OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
    ])
    return Pipeline([("prep", prep), ("forest", RandomForestClassifier(
        n_estimators=200, min_samples_leaf=10, random_state=0, n_jobs=1))])
# %% cell: threshold
def choose_threshold(y_true, churn_probability, offer_cost, churn_loss):
    leaves = (np.asarray(y_true) == "Yes").astype(float)
    proba = np.asarray(churn_probability, dtype=float)
    order = np.argsort(-proba, kind="stable")
    p_sorted, l_sorted = proba[order], leaves[order]
    # calling the first k customers (highest probability first); only cut between distinct values
    called = np.arange(1, len(p_sorted) + 1)
    missed = l_sorted.sum() - np.cumsum(l_sorted)
    cost = offer_cost * called + churn_loss * missed
    last_of_value = np.r_[p_sorted[1:] != p_sorted[:-1], True]
    cost = np.where(last_of_value, cost, np.inf)
    k = int(np.argmin(cost))
    if churn_loss * l_sorted.sum() <= cost[k]:
        return np.inf
    return float(p_sorted[k])
