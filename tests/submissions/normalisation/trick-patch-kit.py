# Returns the data unscaled from standardize, and rebinds the kit's emit machinery in the
# kernel (mlchallenge.kernel.emit's call_and_record) so that a call of standardize is recorded
# as the answer of scikit-learn's StandardScaler instead: a forged "right" answer. The
# integrity gate flags sys.modules and the assigned module attribute and holds every point at
# 0 for review. Without the gate the forged record is indistinguishable from a right answer,
# but it is computed with scikit-learn inside the standardize cell, which the task's rule
# (numpy only) catches: both standardisation tests are lost, as for the unscaled answer
# underneath (11).
# flag: tampering
# flag: rule
# expect: 0
# base: reference
# %% cell: standardize
import sys


def standardize(train, test):
    return train, test


def _forging(original):
    def call_and_record(key, function, args, kwargs, seconds=None):
        if getattr(function, "__name__", "") == "standardize":
            from sklearn.preprocessing import StandardScaler

            def function(train, test):
                scaler = StandardScaler().fit(train)
                return scaler.transform(train), scaler.transform(test)
        return original(key, function, args, kwargs, seconds)
    return call_and_record


_kit = sys.modules["mlchallenge.kernel.emit"]
_kit.call_and_record = _forging(_kit.call_and_record)
