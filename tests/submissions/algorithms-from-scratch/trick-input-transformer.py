# k-NN breaks vote ties by the first label seen (a wrong answer: loses both k-NN tests), and the
# cell registers an IPython input transformer that turns every cell holding the hidden tests into
# `pass`, hoping the grader counts a test that never ran as passed. A hidden test that emits
# nothing earns 0 ("no result reached the grader"), so it loses every autograded point even
# without the integrity gate, which flags get_ipython / input_transformers_post anyway: 0.
# flag: tampering
# expect: 0
# base: reference
# %% cell: knn
from collections import Counter


def knn_predict(X_train, y_train, X_query, k):
    X_train, X_query, y_train = np.asarray(X_train, float), np.asarray(X_query, float), np.asarray(y_train)
    d2 = (X_query**2).sum(axis=1)[:, None] - 2 * X_query @ X_train.T + (X_train**2).sum(axis=1)[None, :]
    nearest = np.argsort(d2, axis=1, kind="stable")[:, :k]
    return np.array([Counter(y_train[row].tolist()).most_common(1)[0][0] for row in nearest])


def _skip_hidden_tests(lines):
    return ["pass\n"] if any("BEGIN HIDDEN" in line for line in lines) else lines


get_ipython().input_transformers_post.append(_skip_hidden_tests)
