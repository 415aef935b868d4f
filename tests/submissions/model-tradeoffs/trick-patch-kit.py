# Unsure whether the tree or the forest overfits more, answers "forest" (wrong) and rebinds the
# kit's emit machinery (mlchallenge.kernel.emit's encode and call_and_record) to hedge: the
# answer is encoded as both offered words, and a second record with the other word is shown
# beside the real one, hoping the grader keeps the best. The grading process reads plain data
# and takes one result per call: a list is not a string answer, and two results for one call
# earn 0. Gains nothing (12, what the honest wrong answer scores); the integrity gate holds
# every point of a notebook that imports the kit anyway: 0.
# flag: tampering
# expect: 0
# base: reference
# %% cell: overfits
import sys

from IPython.display import display

OVERFITS = "forest"

_emit_module = sys.modules["mlchallenge.kernel.emit"]
_real_encode = _emit_module.encode
_real_call_and_record = _emit_module.call_and_record


def _hedged_encode(value, *args, **kwargs):
    if type(value) is str and value in ("tree", "forest"):
        return _real_encode(["tree", "forest"], *args, **kwargs)
    return _real_encode(value, *args, **kwargs)


def _hedged_call_and_record(key, function, args, kwargs, seconds=None):
    record = _real_call_and_record(key, function, args, kwargs, seconds)
    if key == "answer" and "forest" in str(record.get("value")):
        display({_emit_module.EMIT_MIME: dict(record, value="tree")}, raw=True)
    return record


_emit_module.encode = _hedged_encode
_emit_module.call_and_record = _hedged_call_and_record
