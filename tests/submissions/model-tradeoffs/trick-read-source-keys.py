# Looks for the instructor's source notebook next to the submission and copies the answer keys
# it finds there into its answers. The keys are digests, not answers; they now live only in
# judges.py, in the grading process, and a grading kernel's sandbox has no source/ to read:
# gains nothing (7 points lost).
# expect: 6
# base: reference
# %% cell: short
import glob
import json
import re

_keys = []
for _path in glob.glob("../../../source/*/model-tradeoffs.ipynb") + glob.glob("../../source/*/model-tradeoffs.ipynb"):
    _text = json.dumps(json.load(open(_path)))
    _keys += re.findall(r"[0-9a-f]{64}", _text)
_first = _keys[0] if _keys else "unknown"
SHORT = {key: _first for key in ["learning-kind", "deep-tree", "penalty-direction", "margin-family", "calibrated", "extrapolation"]}
# %% cell: overfits
OVERFITS = _first
