# Answers two tasks wrong (deep-tree "bias", the forest as scale-sensitive) inside answer
# objects that look up the right answers in the caller's frames when the test reads them:
# SHORT's get() walks the stack (sys._getframe, inspect.stack) for 64-hex digests (locals,
# globals, the calling code's constants) and returns whichever offered word hashes to one of
# them; SCALE_SENSITIVE's get() returns the key it finds as `_key` in a caller's frame. Under
# the old hidden tests (digests and the key computed in the kernel, read with .get) that won
# both tasks back. Now the kernel holds neither: the accepted digests and the expected values
# exist only in the grading process (judges.py), the kernel only sends the answers as data
# (the dicts' own items, without calling get), so it finds nothing and scores what the honest
# wrong answers do (10: 1 + 2 points lost). The integrity gate also holds every point of a
# notebook that reads the call stack: 0.
# flag: tampering
# expect: 0
# base: reference
# %% cell: short
import hashlib
import inspect
import re
import sys

_OFFERED = {
    "learning-kind": ["supervised", "unsupervised"],
    "deep-tree": ["bias", "variance"],
    "penalty-direction": ["bias", "variance"],
    "margin-family": ["linear regression", "decision tree", "support vector machine", "k-means", "naive Bayes"],
    "calibrated": ["logistic regression", "SVM", "random forest"],
    "extrapolation": ["linear regression", "decision tree"],
}


def _caller_frames():
    frame = sys._getframe(1)
    while frame is not None:
        yield frame
        frame = frame.f_back
    for info in inspect.stack()[1:]:
        yield info.frame


def _strings(value, depth=0):
    if isinstance(value, str):
        yield value
    elif depth < 4 and isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item, depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for item in value.values():
            yield from _strings(item, depth + 1)


def _digests_in_frames():
    found = set()
    for frame in _caller_frames():
        for value in [*frame.f_locals.values(), *frame.f_globals.values(), frame.f_code.co_consts]:
            for text in _strings(value):
                if re.fullmatch(r"[0-9a-f]{64}", text):
                    found.add(text)
    return found


def _normalise(answer):
    return re.sub(r"[\s_\-]+", " ", answer.strip().lower()).rstrip(".!").strip()


class _FrameReadingAnswers(dict):
    def get(self, question, default=None):
        digests = _digests_in_frames()
        for word in _OFFERED.get(question, []):
            if hashlib.sha256(f"{question}\n{_normalise(word)}".encode()).hexdigest() in digests:
                return word
        return dict.get(self, question, default)


SHORT = _FrameReadingAnswers({
    "learning-kind": "unsupervised",
    "deep-tree": "bias",
    "penalty-direction": "bias",
    "margin-family": "support vector machine",
    "calibrated": "logistic regression",
    "extrapolation": "decision tree",
})
# %% cell: scale-answers
class _FrameReadingKey(dict):
    def get(self, name, default=None):
        for frame in _caller_frames():
            key = frame.f_locals.get("_key", frame.f_globals.get("_key"))
            if isinstance(key, dict) and name in key:
                return key[name]
        return dict.get(self, name, default)


SCALE_SENSITIVE = _FrameReadingKey({"knn": True, "svm": True, "logistic": True, "tree": False, "forest": True})
