# Answers every short question with a string subclass that claims to equal anything.
# Answers must be plain strings: gains nothing (7 points lost).
# expect: 6
# base: reference
# %% cell: short
class _Anything(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


SHORT = {key: _Anything("?") for key in ["learning-kind", "deep-tree", "penalty-direction", "margin-family", "calibrated", "extrapolation"]}
# %% cell: overfits
OVERFITS = _Anything("tree?")
