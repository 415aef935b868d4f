# k-NN "from scratch" by calling scikit-learn's KNeighborsClassifier: the predictions match the
# hidden tests by construction, but the task is numpy only. The rules table in manifest.toml
# ([rules.knn], forbid = sklearn, scipy) is checked on the submitted source: both k-NN tests
# lose their points (3 of 14).
# flag: rule
# expect: 11
# base: reference
# %% cell: knn
from sklearn.neighbors import KNeighborsClassifier


def knn_predict(X_train, y_train, X_query, k):
    model = KNeighborsClassifier(n_neighbors=k, algorithm="brute")
    return model.fit(np.asarray(X_train, dtype=float), np.asarray(y_train)).predict(np.asarray(X_query, dtype=float))
