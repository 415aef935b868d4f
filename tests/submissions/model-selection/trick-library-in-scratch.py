# Builds the folds with scikit-learn's StratifiedKFold where the task says numpy only (not
# sklearn.model_selection): its folds are stratified, positional and seeded, so the judges alone
# would give full marks. The [rules.folds] table of the manifest forbids scikit-learn and scipy in
# that cell: the grading process's static check takes the points of the three fold tests
# (partition 2, stratification 2, seed 1).
# flag: rule
# expect: 14
# base: reference
# %% cell: folds
from sklearn.model_selection import StratifiedKFold


def stratified_kfold_indices(y, n_splits=5, seed=0):
    labels = np.asarray(y)
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return [(train, test) for train, test in splitter.split(np.zeros(len(labels)), labels)]
