# Replaces hashlib.sha256 with a function whose digest claims to equal any key, and answers
# nonsense. The grader bound sha256 before candidate code ran: gains nothing (7 points lost).
# expect: 6
# base: reference
# %% cell: short
import hashlib


class _Digest:
    def __init__(self, *args, **kwargs):
        pass

    def hexdigest(self):
        return _Equal()


class _Equal(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


hashlib.sha256 = _Digest
SHORT = {key: "no idea" for key in ["learning-kind", "deep-tree", "penalty-direction", "margin-family", "calibrated", "extrapolation"]}
# %% cell: overfits
OVERFITS = "no idea"
