# Fills the matrix and the rates with an object that claims to equal anything and converts
# to 0.5. Gains nothing: both reading tests are lost (2 points).
# expect: 17
# base: reference
# %% cell: read-matrix
class _Anything(int):
    def __eq__(self, other):
        return True

    def __float__(self):
        return 0.5

    __hash__ = int.__hash__


READ_MATRIX = {"true_positives": _Anything(), "false_positives": _Anything(), "false_negatives": _Anything(), "true_negatives": _Anything(len(y_test))}
RATES = {"precision": _Anything(), "recall": _Anything(), "always_no_accuracy": _Anything()}
