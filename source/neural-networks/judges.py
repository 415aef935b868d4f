"""Judges of neural-networks' hidden tests, run by the grading process (never by the kernel).

Each judge gets the inputs its hidden test built (the grader's own copies) and what the
candidate's function returned in the kernel, computes the expected values here with the
grader's own numpy, and raises ``Wrong`` with a teaching message (it names the property that
failed, never the expected value) or returns the fraction of the points earned.

Where a test exists to catch a specific wrong answer (a softmax without the max subtracted, a
clipped or overflowing log, a gradient of the wrong sign or not divided by n, a one-sided
difference, a batch rule other than the stated one), the judge computes that wrong answer too
and raises ``SpecError`` if the test's data cannot tell it from the right one. The judge's own
gradients are checked against central differences before they judge anyone's.
"""

from __future__ import annotations

import numpy as np
from sklearn.neural_network import MLPClassifier

from mlchallenge.judging import SpecError, Wrong, compare, judge
from mlchallenge.judging.answers import normalise_answer
from mlchallenge.judging.codec import EstimatorSpec

PARAMS = ("W1", "b1", "W2", "b2")


# ---------------------------------------------------------------------------
# The grader's own network


def _softmax(Z: np.ndarray) -> np.ndarray:
    shifted = Z - Z.max(axis=1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=1, keepdims=True)


def _log_softmax(Z: np.ndarray) -> np.ndarray:
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _cross_entropy(Z: np.ndarray, y: np.ndarray) -> float:
    return float(-_log_softmax(Z)[np.arange(len(y)), y].mean())


def _forward(params: dict, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    H = np.maximum(X @ params["W1"] + params["b1"], 0.0)
    return H, H @ params["W2"] + params["b2"]


def _backward(params: dict, X: np.ndarray, y: np.ndarray, *, relu_mask: bool = True) -> dict:
    H, Z = _forward(params, X)
    n = len(X)
    dZ = _softmax(Z)
    dZ[np.arange(n), y] -= 1.0
    dZ /= n
    dA = dZ @ params["W2"].T
    if relu_mask:
        dA = dA * (H > 0)
    return {"W1": X.T @ dA, "b1": dA.sum(axis=0), "W2": H.T @ dZ, "b2": dZ.sum(axis=0)}


def _central(f, x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        above = f(x)
        x[index] = original - eps
        below = f(x)
        x[index] = original
        grad[index] = (above - below) / (2.0 * eps)
    return grad


def _forward_difference(f, x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    x = np.array(x, dtype=float)
    base = f(x)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        grad[index] = (f(x) - base) / eps
        x[index] = original
    return grad


def _self_check(params: dict, X: np.ndarray, y: np.ndarray) -> None:
    """The judge's backpropagation agrees with central differences on a few rows."""
    rows = slice(0, 4)
    analytic = _backward(params, X[rows], y[rows])
    for name in ("b1", "b2"):
        def loss_of(value, name=name):
            return _cross_entropy(_forward({**params, name: value}, X[rows])[1], y[rows])

        numeric = _central(loss_of, params[name])
        if not np.allclose(numeric, analytic[name], rtol=1e-5, atol=1e-8):
            raise SpecError(f"test-backward: the judge's gradient of {name} disagrees with finite "
                            "differences")


def _probe(grade_id: str, label: str, differs: bool) -> None:
    if not differs:
        raise SpecError(f"{grade_id}: the probe cannot tell {label} on its data")


def _array(value, what: str) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        raise Wrong(f"{what} should be a numpy array, got {type(value).__name__}")
    return compare.float_array(value, what)


# ---------------------------------------------------------------------------
# 1. Softmax


@judge("test-softmax")
def softmax(case):
    with np.errstate(all="ignore"):
        global_max = [np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True)
                      for Z in (case.args(key)[0] for key in ("large", "very negative", "rows far apart"))]
    _probe("test-softmax", "the whole array's maximum subtracted",
           not all(np.isfinite(p).all() for p in global_max))
    for key in ("ordinary", "large", "very negative", "rows far apart"):
        (Z,) = case.args(key)
        want = _softmax(Z)
        if key != "ordinary":
            with np.errstate(all="ignore"):
                naive = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
            _probe("test-softmax", f"an overflowing softmax ({key} logits)", not np.isfinite(naive).all())
        columns = _softmax(Z.T).T
        _probe("test-softmax", "a softmax over columns", not np.allclose(columns, want))
        got = _array(case.returned(key), "softmax(Z)")
        if got.shape != Z.shape:
            raise Wrong(f"softmax returned shape {got.shape} for logits of shape {Z.shape}: one probability "
                        "per logit")
        if not np.isfinite(got).all():
            raise Wrong(f"softmax returned NaN or inf for {key} logits: np.exp overflows (or every term "
                        "underflows to 0); subtract each row's largest logit first, which does not change "
                        "the result")
        if np.allclose(got, columns, rtol=1e-6, atol=1e-12) and not np.allclose(got, want):
            raise Wrong("the probabilities sum to 1 down each column: normalise each row (axis=1)")
        compare.allclose(got, want, f"softmax differs from exp(z) / sum(exp(z)) on each row ({key} logits)",
                         rtol=1e-6, atol=1e-12, what="softmax(Z)")
        case.unchanged(key, "softmax should not modify the logits it is given")


# ---------------------------------------------------------------------------
# 2. Cross-entropy


@judge("test-cross-entropy")
def cross_entropy(case):
    Z, y = case.args("ordinary")
    want = _cross_entropy(Z, y)
    _probe("test-cross-entropy", "a summed loss", not np.isclose(want * len(y), want))
    got = compare.number(case.returned("ordinary"), "cross_entropy(Z, y)")
    if np.isclose(got, want * len(y), rtol=1e-6):
        raise Wrong("the loss is the sum over the rows: the contract asks for the mean")
    compare.allclose([got], [want], "the loss differs from the mean of -log softmax(Z)[i, y[i]]",
                     rtol=1e-6, what="the loss")
    case.unchanged("ordinary", "cross_entropy should not modify its inputs")

    Z, y = case.args("far")
    want = _cross_entropy(Z, y)
    with np.errstate(all="ignore"):
        naive = float(-np.log(_softmax(Z)[np.arange(len(y)), y]).mean())
        clipped = float(-np.log(np.clip(_softmax(Z)[np.arange(len(y)), y], 1e-12, 1.0)).mean())
    _probe("test-cross-entropy", "a log of an underflowed probability", not np.isfinite(naive))
    _probe("test-cross-entropy", "a clipped probability", not np.isclose(clipped, want, rtol=1e-3))
    try:
        got = compare.number(case.returned("far"), "cross_entropy(Z, y)")
    except Wrong as exc:
        return 0.5, f"right on ordinary logits; on logits far apart: {exc}"
    if not np.isfinite(got):
        return 0.5, ("right on ordinary logits, but the loss is inf or NaN when a true class's logit is far "
                     "below the largest: its probability underflows to 0 before the log; compute "
                     "log-probabilities directly (z - log-sum-exp, with the row maximum subtracted)")
    if not np.isclose(got, want, rtol=1e-6):
        return 0.5, ("right on ordinary logits, but not when a true class's logit is far below the largest: "
                     "a clipped or rounded probability changes the loss; compute log-probabilities directly "
                     "(z - log-sum-exp, with the row maximum subtracted)")
    return None


# ---------------------------------------------------------------------------
# 3. Forward pass


@judge("test-forward")
def forward(case):
    params, X = case.args("digits")
    want_H, want_Z = _forward(params, X)
    got = case.returned("digits")
    got_H, got_Z = compare.pair(got, "forward(params, X)")
    got_H, got_Z = _array(got_H, "H"), _array(got_Z, "Z")
    if got_Z.shape != want_Z.shape or got_H.shape != want_H.shape:
        raise Wrong(f"forward returned H of shape {got_H.shape} and Z of shape {got_Z.shape}: H is "
                    "(n, hidden) and Z is (n, classes)")
    compare.allclose(got_H, want_H, "H differs from relu(X @ W1 + b1)", rtol=1e-6, atol=1e-9, what="H")
    if np.allclose(got_Z, _softmax(want_Z), rtol=1e-6, atol=1e-9):
        raise Wrong("Z holds probabilities: forward returns the logits H @ W2 + b2, before any softmax")
    compare.allclose(got_Z, want_Z, "Z differs from H @ W2 + b2", rtol=1e-6, atol=1e-9, what="Z")
    case.unchanged("digits", "forward should not modify the parameters or the inputs")


# ---------------------------------------------------------------------------
# 4. Backpropagation


@judge("test-backward")
def backward(case):
    for key in ("digits", "small batch"):
        params, X, y = case.args(key)
        _self_check(params, X, y)
        want = _backward(params, X, y)
        no_mask = _backward(params, X, y, relu_mask=False)
        _probe("test-backward", "a missing ReLU derivative", not np.allclose(no_mask["W1"], want["W1"]))
        got = compare.mapping(case.returned(key), PARAMS, "backward(params, X, y)")
        arrays = {}
        for name in PARAMS:
            array = _array(got[name], f"the gradient of {name}")
            if array.shape != params[name].shape:
                raise Wrong(f"the gradient of {name} has shape {array.shape} where {name} has "
                            f"{params[name].shape}")
            arrays[name] = array
        for name in PARAMS:
            if np.allclose(arrays[name], want[name], rtol=1e-6, atol=1e-10):
                continue
            if np.allclose(arrays[name], -want[name], rtol=1e-6, atol=1e-10):
                raise Wrong(f"the gradient of {name} has the wrong sign: a step against it would raise the "
                            "loss (the gradient with respect to the logits is softmax minus one-hot)")
            if np.allclose(arrays[name], want[name] * len(X), rtol=1e-6, atol=1e-10):
                raise Wrong(f"the gradient of {name} is n times too large: the loss is the mean over "
                            "the rows")
            if name in ("W1", "b1") and np.allclose(arrays[name], no_mask[name], rtol=1e-6, atol=1e-10):
                raise Wrong(f"the gradient of {name} passes through the ReLU as if it were the identity: "
                            "it is 0 where the unit's input is not positive")
            raise Wrong(f"the gradient of {name} differs from the finite-difference gradient of the mean "
                        "cross-entropy (check it with numerical_gradient)")
        case.unchanged(key, "backward should not modify the parameters or the inputs")


# ---------------------------------------------------------------------------
# 5. Finite differences


def _curved_gradient(x: np.ndarray) -> np.ndarray:
    """The exact gradient of the hidden test's ``_curved``."""
    grad = 3.0 * np.exp(3.0 * x)
    grad[0, 0] += x[1, 2]
    grad[1, 2] += x[0, 0]
    return grad


@judge("test-numerical-gradient")
def numerical_gradient(case):
    _, f, x = case.args("curved")
    exact = _curved_gradient(x)
    if not np.allclose(_central(f, x), exact, rtol=1e-7, atol=1e-9):
        raise SpecError("test-numerical-gradient: the judge's central differences miss the exact "
                        "gradient")
    _probe("test-numerical-gradient", "a one-sided difference",
           not np.allclose(_forward_difference(f, x), exact, rtol=1e-7, atol=1e-9))
    returned = compare.mapping(case.returned("curved"), ["gradient", "x_after"], "the hidden test's record")
    # x restored by arithmetic (+eps, -2 eps, +eps) may differ in its last bit: that is restored
    if not compare.is_close(returned["x_after"], x, rtol=1e-12, atol=1e-15):
        raise Wrong("x should hold its original values when numerical_gradient returns: restore "
                    "every entry you change")
    got = _array(returned["gradient"], "numerical_gradient(f, x)")
    if got.shape != x.shape:
        raise Wrong(f"numerical_gradient returned shape {got.shape} for x of shape {x.shape}: one entry per "
                    "entry of x, over every axis")
    if not np.allclose(got, exact, rtol=1e-7, atol=1e-9):
        if np.allclose(got, exact, rtol=1e-3, atol=1e-6):
            raise Wrong("the differences are close but not central: (f(x + eps) - f(x - eps)) / (2 eps) is "
                        "far more accurate than a one-sided difference")
        raise Wrong("the gradient differs from f's true gradient: perturb one entry at a time, over every "
                    "axis of x, by +eps and -eps")


# ---------------------------------------------------------------------------
# 6. Mini-batch gradient descent


def _train(X, y, params, grad_fn, lr, epochs, batch_size, seed, *, rule: str = "stated"):
    """Training by the stated rule, or by one of the wrong rules this test exists for."""
    params = {name: np.array(value, dtype=float, copy=True) for name, value in params.items()}
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(X))
    losses = []
    for epoch in range(epochs):
        if epoch and rule == "shuffled in place":
            # one index array shuffled again each epoch (rng.shuffle(order)): a new order every
            # epoch from the same generator, as the rule asks, composed with the last one
            order = order[rng.permutation(len(X))]
        elif epoch and rule != "shuffled once":
            order = rng.permutation(len(X))
        if rule == "full batch":
            batches = [order]
        elif rule == "no shuffle":
            batches = [np.arange(len(X))[s:s + batch_size] for s in range(0, len(X), batch_size)]
        else:
            stop = len(X) - len(X) % batch_size if rule == "last batch dropped" else len(X)
            batches = [order[s:min(s + batch_size, stop)] for s in range(0, stop, batch_size)]
        batch_losses, sizes = [], []
        for batch in batches:
            loss, grads = grad_fn(params, X[batch], y[batch])
            batch_losses.append(loss)
            sizes.append(len(batch))
            params = {name: value - lr * grads[name] for name, value in params.items()}
        weights = sizes if rule == "weighted losses" else None
        losses.append(float(np.average(batch_losses, weights=weights)))
    return params, losses


WRONG_RULES = {
    "full batch": "one update per epoch on all the rows: the rule is one update per batch of "
                  "batch_size rows",
    "shuffled once": "every epoch goes through the rows in the same order (shuffled once, or a generator "
                     "made again from the seed each epoch): make one generator before the first epoch and "
                     "take a new rng.permutation from it at the start of every epoch",
    "no shuffle": "the batches follow the rows' own order: take the order from rng.permutation each epoch",
    "last batch dropped": "the last, smaller batch of each epoch is left out: it holds the rows that "
                          "are left and gets its update too",
}


@judge("test-train")
def train(case):
    X, y, start, grad_fn, lr, epochs, batch_size, seed = case.args("digits")
    want, want_losses = _train(X, y, start, grad_fn, lr, epochs, batch_size, seed)
    wrong = {rule: _train(X, y, start, grad_fn, lr, epochs, batch_size, seed, rule=rule)[0]
             for rule in WRONG_RULES}
    for rule, params in wrong.items():
        _probe("test-train", f"the rule {rule!r}", not all(np.allclose(params[k], want[k]) for k in want))
    weighted = _train(X, y, start, grad_fn, lr, epochs, batch_size, seed, rule="weighted losses")[1]
    _probe("test-train", "losses weighted by batch size", not np.allclose(weighted, want_losses, rtol=1e-9))

    # the same updates with the order reshuffled in place each epoch: as sound as the rule
    in_place, in_place_losses = _train(X, y, start, grad_fn, lr, epochs, batch_size, seed,
                                       rule="shuffled in place")

    got_params, got_losses = compare.pair(case.returned("digits"), "train()")
    got_params = compare.mapping(got_params, list(want), "trained_params")
    arrays = {name: _array(got_params[name], f"trained_params[{name!r}]") for name in want}
    if any(arrays[name].shape != want[name].shape for name in want):
        raise Wrong("trained_params should hold each parameter in its original shape")
    case.unchanged("digits", "train should leave the parameters it was given unchanged: start from copies")
    if all(np.allclose(arrays[k], in_place[k], rtol=1e-6, atol=1e-9) for k in want):
        want, want_losses = in_place, in_place_losses
    if not all(np.allclose(arrays[k], want[k], rtol=1e-6, atol=1e-9) for k in want):
        for rule, params in wrong.items():
            if all(np.allclose(arrays[k], params[k], rtol=1e-6, atol=1e-9) for k in want):
                raise Wrong(WRONG_RULES[rule])
        raise Wrong("the trained parameters differ from plain mini-batch gradient descent by the stated rule "
                    "(one rng, a new permutation each epoch, consecutive batches, p - lr * grad per batch)")
    if not isinstance(got_losses, list | tuple | np.ndarray) or len(got_losses) != epochs:
        return 2 / 3, "the parameters are right; epoch_losses should be a list with one loss per epoch"
    losses = compare.float_array(got_losses, "epoch_losses")
    if losses.shape != np.shape(want_losses) or not np.allclose(losses, want_losses, rtol=1e-6):
        message = ("each batch counts once in an epoch's loss" if losses.shape == np.shape(weighted)
                   and np.allclose(losses, weighted, rtol=1e-6)
                   else "an epoch's loss is the mean of its batch losses")
        return 2 / 3, f"the parameters are right; epoch_losses differ: {message}"
    return None


# ---------------------------------------------------------------------------
# 7. The learning rate and the scale of the inputs


RUNS = {"lr=0.001": "too slow", "lr=0.1": "good", "lr=5": "unstable", "raw pixels, lr=0.1": "unstable"}
# other words for the three answers (after normalise_answer): what a run did, said another way
SAME_AS = {
    "too slow": {"slow", "too low", "too small", "learns slowly", "slow convergence", "underfits",
                 "too slow to converge"},
    "good": {"converges", "converged", "converging", "fine", "ok", "right", "just right", "works",
             "fast"},
    "unstable": {"diverges", "diverged", "diverging", "too large", "too big", "too high", "explodes",
                 "exploding", "oscillates", "oscillating", "zig zags", "zigzags", "jumps", "jumpy",
                 "stalls", "stalled", "stuck", "plateaus", "unstable diverges", "unstable stuck",
                 "unstable stalls", "does not converge", "doesn t converge", "never comes down"},
}


def _reading(value) -> str | None:
    """The answer ``value`` names (one of RUNS' values), or None."""
    if not isinstance(value, str):
        return None
    said = normalise_answer(value)
    for answer, others in SAME_AS.items():
        if said == normalise_answer(answer) or said in {normalise_answer(o) for o in others}:
            return answer
    return None


@judge("test-rates")
def rates(case):
    answers = case.returned("answers")
    if not isinstance(answers, dict) or set(answers) != set(RUNS):
        raise Wrong(f"RUNS should be a dict with the keys {', '.join(RUNS)}")
    given = {key: _reading(value) for key, value in answers.items()}
    unknown = sorted(key for key, value in given.items() if value is None)
    if unknown:
        raise Wrong(f'answer {", ".join(unknown)} with "too slow", "good" or "unstable"')
    wrong = [key for key, value in RUNS.items() if given[key] != value]
    if wrong:
        raise Wrong(f"look at the curves again for: {', '.join(wrong)}")


# ---------------------------------------------------------------------------
# 8. Early stopping


NETWORK = "sklearn.neural_network."  # where scikit-learn's MLPClassifier lives (its module path)
MLP_PARAMS = set(MLPClassifier().get_params(deep=False))  # and the parameters it takes
WRAPPED = ("estimator", "base_estimator", "classifier")  # a meta-estimator's one inner model


def _predictors(spec: EstimatorSpec) -> list[EstimatorSpec]:
    """The models whose predictions the estimator returns: a pipeline's last step, a wrapper's
    inner model (a search, a calibration), a voting ensemble's members that have a weight, a
    stacking ensemble's members and final model; else the estimator itself."""
    params = spec.params
    if spec.class_name == "Pipeline" and isinstance(params.get("steps"), list) and params["steps"]:
        last = params["steps"][-1]
        step = last[1] if isinstance(last, list | tuple) and len(last) == 2 else None
        return _predictors(step) if isinstance(step, EstimatorSpec) else []
    members = params.get("estimators")
    if isinstance(members, list):
        weights = params.get("weights")
        if not (isinstance(weights, list) and len(weights) == len(members)):
            weights = [1] * len(members)
        found = [m[1] for m, w in zip(members, weights, strict=True)
                 if isinstance(m, list | tuple) and len(m) == 2 and isinstance(m[1], EstimatorSpec)
                 and w not in (0, 0.0, None)]
        final = params.get("final_estimator")
        found += [final] if isinstance(final, EstimatorSpec) else []
        return [p for member in found for p in _predictors(member)]
    for name in WRAPPED:
        if isinstance(params.get(name), EstimatorSpec):
            return _predictors(params[name])
    return [spec]


@judge("test-early-stopping")
def early_stopping(case):
    built = case.returned("built")
    if not isinstance(built, EstimatorSpec):
        raise Wrong("build_pipeline should return a scikit-learn estimator")
    predictors = _predictors(built)
    networks = [p for p in predictors if p.class_name == "MLPClassifier" and p.cls.startswith(NETWORK)
                and set(p.params) == MLP_PARAMS]
    if not networks:
        raise Wrong("the model that makes the predictions is not scikit-learn's MLPClassifier "
                    "(sklearn.neural_network)")
    if not all(p.params.get("early_stopping") is True for p in networks):
        raise Wrong("the MLPClassifier that makes the predictions does not stop early: set "
                    "early_stopping=True")
