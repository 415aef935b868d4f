"""Judges of model-tradeoffs' hidden tests, run by the grading process (never by the kernel).

The short answers are checked here against keys the kernel never holds: each accepted answer is
stored as the sha256 of its question id and its normalised spelling (``mlchallenge.judging.answers``:
the same word hashes differently in each question). The kernel only sends the
candidate's answer, as plain data. The code tasks' expected values are computed here, with the
grader's own scikit-learn, on the grader's own copies of the inputs the hidden test built.
"""

import re
import warnings

import numpy as np
from sklearn.base import clone

from mlchallenge.judging import NotAttempted, SpecError, Wrong, compare, judge
from mlchallenge.judging.answers import answer_digest

# ---------------------------------------------------------------------------
# Short answers

# sha256(f"{question}\n{normalised answer}") of the right answer, one per question: the
# normalisation (mlchallenge.judging.answers) maps every accepted spelling, article, plural
# and usual name of the family onto it.
ACCEPTED = {
    "learning-kind": {"f50eb14ab25c78b3e1b97bd834c5b6b8faa380116be90ae986c162469c505821"},
    "deep-tree": {"04a630a5320774663c80fa9f520b122e751098360bce6ecf3ffd4fc7bba42709"},
    "penalty-direction": {"ebf6957c01c5e98c9c1fe747295d80b4be9036c0a82d3ce9e3e5d9e72acb190b"},
    "margin-family": {"834e6fcbbed75ad6cf65159b77bd204212f065589a917ce0c9f4162fbe4fa757"},
    "calibrated": {"f8ea928983f80978eec7a0dbf6f7cdebd5196404b1d5f4523403d067e102b0f2"},
    "extrapolation": {"35d03c022bdd2e1c76af5747279edcdf927f9eaa7880c30da8f71a809ece9c39"},
    "overfits-with-depth": {"2dab791ba0ad874ed4e01faa7fb40dcbc6c2f6696dc79dc374b6e2da8fb7920a"},
}

# The words each question offers (they are in the notebook): exactly one of them must be
# accepted, or the key would let a wrong choice through (or refuse every offered word).
OFFERED = {
    "learning-kind": ["supervised", "unsupervised"],
    "deep-tree": ["bias", "variance"],
    "penalty-direction": ["bias", "variance"],
    "margin-family": ["linear regression", "decision tree", "support vector machine", "k-means", "naive Bayes"],
    "calibrated": ["logistic regression", "SVM", "random forest"],
    "extrapolation": ["linear regression", "decision tree"],
    "overfits-with-depth": ["tree", "forest"],
}


def _check_keys() -> None:
    for question, accepted in ACCEPTED.items():
        if not all(isinstance(k, str) and re.fullmatch(r"[0-9a-f]{64}", k) for k in accepted):
            raise SpecError(f"model-tradeoffs judges: a key of {question} is not a sha256 digest")
        right = [w for w in OFFERED[question] if answer_digest(question, w) in accepted]
        if len(right) != 1:
            raise SpecError(f"model-tradeoffs judges: {question} accepts {len(right)} of the words the "
                            "question offers, where exactly one is right")


_check_keys()


def _short_answer(case, question: str, message: str) -> None:
    value = case.record("answer").get("value")
    answer = case.returned("answer")
    if answer is None:
        raise NotAttempted(f"{question} is not answered yet")
    # a subclass of str (one that claims to equal anything, say) arrives as its plain
    # characters; the answer must be a plain string all the same
    if isinstance(value, dict) and value.get("t") == "sub":
        raise Wrong(f"answer with a string, got {str(value.get('class', '')).rsplit('.', 1)[-1]}")
    if type(answer) is not str:
        raise Wrong(f"answer with a string, got {type(answer).__name__}")
    if answer_digest(question, answer) not in ACCEPTED[question]:
        raise Wrong(message)


@judge("test-learning-kind")
def learning_kind(case):
    _short_answer(case, "learning-kind", "learning-kind: do these methods ever see a label?")


@judge("test-deep-tree")
def deep_tree(case):
    _short_answer(case, "deep-tree",
                  "deep-tree: a large gap between training and validation scores is a sign of which of the two?")


@judge("test-penalty-direction")
def penalty_direction(case):
    _short_answer(case, "penalty-direction",
                  "penalty-direction: a stronger penalty makes the model simpler; which error does simplicity raise?")


@judge("test-margin-family")
def margin_family(case):
    _short_answer(case, "margin-family", "margin-family: which family is built around the margin and the kernel trick?")


@judge("test-calibrated")
def calibrated(case):
    _short_answer(case, "calibrated",
                  "calibrated: which of the three is fitted by maximising the likelihood of the labels?")


@judge("test-extrapolation")
def extrapolation(case):
    _short_answer(case, "extrapolation",
                  "extrapolation: which model's prediction is a value seen in training, whatever the input?")


@judge("test-overfits")
def overfits(case):
    _short_answer(case, "overfits-with-depth", "look at the two gap curves again: averaging many trees lowers the variance")


# ---------------------------------------------------------------------------
# Which models care about the scale of the features


def _predictions_differ(model, X_train, y_train, X_test, factors, *, rescale_train=True,
                        rescale_test=True) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = clone(model).fit(X_train, y_train).predict(X_test)
        rescaled = clone(model).fit(X_train * factors if rescale_train else X_train, y_train) \
            .predict(X_test * factors if rescale_test else X_test)
    return bool((np.asarray(raw) != np.asarray(rescaled)).any())


@judge("test-scale-function")
def scale_function(case):
    keys = ("knn", "tree", "knn-uniform")
    want = {key: _predictions_differ(*case.args(key)) for key in keys}
    # the probes this test exists for must not go blind on its data: a constant answer (a
    # model that changes and one that does not), an answer from the model's kind alone (the
    # same k-NN changes with some factors and not with others) and rescaling the training rows
    # only
    if len(set(want.values())) != 2:
        raise SpecError("test-scale-function: every call gives the same answer, so a constant "
                        "answer would pass")
    if want["knn"] == want["knn-uniform"]:
        raise SpecError("test-scale-function: the k-NN gives the same answer with both sets of factors, "
                        "so an answer from the model's kind alone would pass")
    train_only = {key: _predictions_differ(*case.args(key), rescale_test=False) for key in keys}
    if train_only == want:
        raise SpecError("test-scale-function: rescaling only the training rows gives the right "
                        "answers on this data")
    for key in keys:
        got = case.returned(key)
        model = case.args(key)[0]
        if type(got) not in (bool, np.bool_):
            raise Wrong(f"changes_with_scale should return True or False, got {type(got).__name__}")
        if bool(got) != want[key]:
            raise Wrong(f"changes_with_scale is wrong for {type(model).__name__}: fit one copy on the raw "
                        "rows and one on the rescaled rows, and predict test rows rescaled the same way")


# What the lesson says the notebook's run shows: distances, kernels and penalised coefficients
# see the scale; threshold splits do not.
LESSON = {"knn": True, "svm": True, "logistic": True, "tree": False, "forest": False}


@judge("test-scale-answers")
def scale_answers(case):
    Xtr, Xte, ytr, factors = case.ns["_Xtr"], case.ns["_Xte"], case.ns["_ytr"], case.ns["_f"]
    key = {name: _predictions_differ(model, Xtr, ytr, Xte, factors) for name, model in case.ns["_models"].items()}
    if key != LESSON:
        raise SpecError("test-scale-answers: the notebook's run no longer shows what the question teaches")
    got = case.returned("answers")
    if not isinstance(got, dict):
        raise Wrong(f"SCALE_SENSITIVE should be a dict, got {type(got).__name__}")
    # plain True / False only, as the public test asks (a numpy bool or a 1 is not an answer)
    wrong = sorted(name for name in key if not (type(got.get(name)) is bool and got.get(name) is key[name]))
    if wrong:
        raise Wrong(f"look again at what rescaling did to: {', '.join(wrong)} (distances and penalties "
                    "see the scale; threshold splits do not)")


# ---------------------------------------------------------------------------
# Which models overfit as they grow deeper


def _gaps(make_model, depths, X_train, y_train, X_test, y_test) -> np.ndarray:
    gaps = []
    for d in depths:
        model = make_model(d).fit(X_train, y_train)
        gaps.append(float((model.predict(X_train) == y_train).mean() - (model.predict(X_test) == y_test).mean()))
    return np.array(gaps)


@judge("test-depth-gaps")
def depth_gaps(case):
    make_model, depths, X_train, y_train, X_test, y_test = case.args("gaps")
    want = _gaps(make_model, depths, X_train, y_train, X_test, y_test)
    # the probes: the gap with its sign flipped (test minus training accuracy), and one model
    # reused for every depth
    if compare.is_close(-want, want):
        raise SpecError("test-depth-gaps: every gap is 0, so a reversed gap would pass")
    if compare.is_close(want, np.full_like(want, want[0])):
        raise SpecError("test-depth-gaps: the gaps do not change with depth, so ignoring the depth would pass")
    compare.allclose(case.returned("gaps"), want,
                     "each gap should be the training accuracy minus the test accuracy of the model fitted "
                     "at that depth", what="the gaps")
