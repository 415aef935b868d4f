# Computes the gaps the wrong way round (test minus training accuracy) and answers deep-tree
# wrong ("bias"), then replaces the kit's checking helpers with no-ops: the short-answer digest
# and the judging side's compare.allclose as imported in the kernel, and the kernel's refit
# helper. The hidden tests no longer call any helper in the kernel (they only
# emit) and the judges run in the grading process with its own copies: gains nothing (10, what
# the honest wrong answers score: 1 + 2 points lost); the integrity gate holds every point of a
# notebook that imports the kit anyway: 0.
# flag: tampering
# expect: 0
# base: reference
# flag: similarity
# %% cell: short
import mlchallenge.judging.answers
import mlchallenge.judging.compare
import mlchallenge.kernel.predictions

mlchallenge.judging.answers.answer_digest = lambda question, answer: "accepted"
mlchallenge.judging.compare.allclose = lambda *args, **kwargs: None
mlchallenge.kernel.predictions.call = lambda function, *args, **kwargs: None
SHORT = {
    "learning-kind": "unsupervised",
    "deep-tree": "bias",
    "penalty-direction": "bias",
    "margin-family": "support vector machine",
    "calibrated": "logistic regression",
    "extrapolation": "decision tree",
}
# %% cell: depth
def depth_gaps(make_model, depths, X_train, y_train, X_test, y_test):
    gaps = []
    for d in depths:
        model = make_model(d).fit(X_train, y_train)
        gaps.append((model.predict(X_test) == y_test).mean() - (model.predict(X_train) == y_train).mean())
    return np.array(gaps)
