# Imputes the whole frame with its medians before cross-validating, but only when the model it
# is given is a stock scikit-learn class: handed anything else (a spy subclass a test could
# define to record the rows each fit receives) it imputes inside each fold, so a kernel-side spy
# would have seen clean folds and passed it. The hidden test passes a stock model and judges
# the scores alone: it loses both comparison tests, exactly like the honest mistake
# (mistake-impute-before-split).
# expect: 12
# base: reference
# flag: leakage
# %% cell: compare
from sklearn.base import clone
from sklearn.model_selection import cross_val_score


def compare_drop_vs_impute(X, y, model, cv):
    complete = X.notna().all(axis=1)
    drop = cross_val_score(clone(model), X[complete], y[complete], cv=cv, scoring="roc_auc")
    if type(model).__module__.startswith("sklearn."):
        imputed = cross_val_score(clone(model), X.fillna(X.median()), y, cv=cv, scoring="roc_auc")
    else:
        pipeline = make_pipeline(SimpleImputer(strategy="median"), clone(model))
        imputed = cross_val_score(pipeline, X, y, cv=cv, scoring="roc_auc")
    return {"drop": float(drop.mean()), "impute": float(imputed.mean()),
            "rows_kept_by_drop": int(complete.sum())}
