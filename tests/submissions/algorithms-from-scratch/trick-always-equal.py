# k-NN returns an object that claims to equal any list of labels and to hold 2,000 of them.
# Gains nothing: both k-NN tests are lost (3 points).
# expect: 11
# base: reference
# %% cell: knn
class _Anything(list):
    def __eq__(self, other):
        return True

    def __len__(self):
        return 2000


def knn_predict(X_train, y_train, X_query, k):
    return _Anything()
