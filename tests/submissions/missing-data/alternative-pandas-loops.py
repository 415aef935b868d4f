# A sound solution with explicit pandas and a hand-written cross-validation loop, and a
# random forest instead of logistic regression. Full marks.
# expect: 14.5-15
# base: reference
# %% cell: profile
def missingness_profile(df):
    rows = {}
    for column in df.columns:
        missing = int(pd.isnull(df[column]).sum())
        rows[column] = {"n_missing": missing, "pct_missing": missing * 100.0 / len(df)}
    return pd.DataFrame.from_dict(rows, orient="index")[["n_missing", "pct_missing"]]
# %% cell: impute
def impute(train, test):
    numeric = train.select_dtypes(include="number").columns
    fill = {c: train[c].median() for c in numeric}
    fill.update({c: train[c].value_counts().idxmax() for c in train.columns if c not in numeric})
    return train.fillna(value=fill), test.fillna(value=fill)
# %% cell: indicators
def add_missing_indicators(train, test):
    columns = train.columns[train.isna().any()].tolist()
    train_out = train.assign(**{f"{c}_missing": train[c].isna().astype("int64") for c in columns})
    test_out = test.assign(**{f"{c}_missing": test[c].isna().astype("int64") for c in columns})
    return train_out, test_out
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

def build_pipeline():
    prep = ColumnTransformer([
        ("num", SimpleImputer(strategy="median"), make_column_selector(dtype_include="number")),
        ("cat", Pipeline([("fill", SimpleImputer(strategy="most_frequent")),
                          ("onehot", OneHotEncoder(handle_unknown="ignore"))]),
         make_column_selector(dtype_exclude="number")),
    ])
    return Pipeline([("prep", prep), ("forest", RandomForestClassifier(
        n_estimators=150, min_samples_leaf=3, random_state=0, n_jobs=1))])
# %% cell: compare
from sklearn.base import clone
from sklearn.metrics import get_scorer

def compare_drop_vs_impute(X, y, model, cv):
    scorer = get_scorer("roc_auc")
    complete = X.notna().all(axis=1).to_numpy()
    Xd, yd = X[complete], y[complete]
    drop_scores, impute_scores = [], []
    for train_idx, test_idx in cv.split(Xd, yd):
        fitted = clone(model).fit(Xd.iloc[train_idx], yd.iloc[train_idx])
        drop_scores.append(scorer(fitted, Xd.iloc[test_idx], yd.iloc[test_idx]))
    for train_idx, test_idx in cv.split(X, y):
        medians = X.iloc[train_idx].median()
        fitted = clone(model).fit(X.iloc[train_idx].fillna(medians), y.iloc[train_idx])
        impute_scores.append(scorer(fitted, X.iloc[test_idx].fillna(medians), y.iloc[test_idx]))
    return {"drop": float(np.mean(drop_scores)), "impute": float(np.mean(impute_scores)),
            "rows_kept_by_drop": int(complete.sum())}
