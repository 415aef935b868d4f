# Calls everyone above 0.5 and swaps the code object of the kit's emit side so that every call
# the hidden test makes reports the cheapest threshold it can compute (on the old main, swapping
# a helper's __code__ turned a wrong answer into a right one). The gate holds the notebook: it
# reaches into __code__ and imports the kit.
# flag: tampering
# expect: 0
# base: reference
# %% cell: threshold
import mlchallenge.kernel.emit as _kit

def choose_threshold(y_true, churn_probability, offer_cost, churn_loss):
    return 0.5

def _forged(key, function, args, kwargs, seconds=None):
    return {"key": key, "status": "returned", "value": 0.5, "args": [], "kwargs": {}, "cpu": 0.0, "wall": 0.0}

_kit.call_and_record.__code__ = _forged.__code__
