# Leaves the grid search on accuracy and rebinds the kit's mlchallenge.kernel.emit.encode so
# what the kernel emits claims scoring='roc_auc'. Held at 0 by the integrity gate; without it
# the grader still recomputes the chosen candidate's ROC AUC over cv and the forged claim gains
# nothing (the grid test's 2 points are lost, as for the honest mistake).
# flag: tampering
# expect: 0
# base: reference
# %% cell: grid
import sys

_kit_emit = sys.modules["mlchallenge.kernel.emit"]
_true_encode = _kit_emit.encode


def _claim_roc_auc(value, *args, **kwargs):
    encoded = _true_encode(value, *args, **kwargs)

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "dict":
                for k, v in zip(node["k"], node["v"]):
                    if k == "scoring" and v is None:
                        node["v"][node["k"].index(k)] = "roc_auc"
            for v in list(node.values()):
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(encoded)
    return encoded


_kit_emit.encode = _claim_roc_auc


def grid_search(X, y):
    grid = {
        "columntransformer__pipeline-1__simpleimputer__strategy": ["median", "mean"],
        "logisticregression__C": [0.01, 0.1, 1.0],
    }
    return GridSearchCV(make_model(), grid, cv=cv).fit(X, y)
