# Replaces hashlib.sha256 with a function whose digest claims to equal any key, and answers
# nonsense. The accepted keys are now checked in the grading process (judges.py), whose hashlib
# the kernel cannot reach, and the kernel only sends the answers as plain strings: gains nothing
# (6, the 7 points of the nonsense answers lost). The integrity gate holds every point of a
# notebook that monkeypatches a library anyway: 0.
# flag: tampering
# expect: 0
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
