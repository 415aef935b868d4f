# Imputes the whole frame with its medians before cross-validating: every training fold is
# filled with statistics that include the fold being scored. Loses both comparison tests.
# expect: 12
# base: reference
# flag: leakage
# %% cell: compare
from sklearn.base import clone
from sklearn.model_selection import cross_val_score

def compare_drop_vs_impute(X, y, model, cv):
    complete = X.notna().all(axis=1)
    drop = cross_val_score(clone(model), X[complete], y[complete], cv=cv, scoring="roc_auc")
    filled = X.fillna(X.median())
    imputed = cross_val_score(clone(model), filled, y, cv=cv, scoring="roc_auc")
    return {"drop": float(drop.mean()), "impute": float(imputed.mean()),
            "rows_kept_by_drop": int(complete.sum())}
