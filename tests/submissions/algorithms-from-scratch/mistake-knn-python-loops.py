# Correct but computes every distance in pure Python loops: far too slow for 2,000 queries
# against 5,000 rows. Loses the speed test (1 point).
# expect: 13
# base: reference
# %% cell: knn
import math


def knn_predict(X_train, y_train, X_query, k):
    X_train, X_query, y_list = np.asarray(X_train, float), np.asarray(X_query, float), list(y_train)
    labels = sorted(set(y_list))
    out = []
    for q in X_query.tolist():
        dists = []
        for i, t in enumerate(X_train.tolist()):
            dists.append((math.sqrt(sum((a - b) ** 2 for a, b in zip(q, t))), i))
        dists.sort()
        votes = {lab: 0 for lab in labels}
        for _, i in dists[:k]:
            votes[y_list[i]] += 1
        out.append(max(labels, key=lambda lab: (votes[lab], -labels.index(lab))))
    return np.array(out)
