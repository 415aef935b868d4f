# Written with plain Python loops where a beginner would: backpropagation one row at a time
# (gradients averaged at the end), finite differences with np.nditer, the batches taken with
# np.array_split on the batch boundaries; the pipeline scales by the grey levels' known range
# (domain knowledge, a FunctionTransformer) into a network with two hidden layers. Full marks.
# expect: 22
# base: reference
# %% cell: backward
def backward(params, X, y):
    grads = {name: np.zeros_like(value) for name, value in params.items()}
    for x_row, label in zip(X, y):
        h = np.maximum(x_row @ params["W1"] + params["b1"], 0.0)
        z = h @ params["W2"] + params["b2"]
        p = np.exp(z - z.max())
        p /= p.sum()
        p[label] -= 1.0
        grads["W2"] += np.outer(h, p)
        grads["b2"] += p
        back = (params["W2"] @ p) * (h > 0)
        grads["W1"] += np.outer(x_row, back)
        grads["b1"] += back
    return {name: value / len(X) for name, value in grads.items()}
# %% cell: numerical-gradient
def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = float(x[i])
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
# %% cell: train
def train(X, y, params, grad_fn, lr, epochs, batch_size, seed):
    import copy

    params = copy.deepcopy(params)
    rng = np.random.default_rng(seed)
    epoch_losses = []
    for epoch in range(epochs):
        order = rng.permutation(len(X))
        batches = np.array_split(order, range(batch_size, len(X), batch_size))
        losses = []
        for batch in batches:
            loss, grads = grad_fn(params, X[batch], y[batch])
            losses.append(loss)
            for name in list(params):
                params[name] = params[name] - lr * grads[name]
        epoch_losses.append(sum(losses) / len(losses))
    return params, epoch_losses
# %% cell: pipeline
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer


def _grey_levels(X):
    return np.asarray(X, dtype=float) / 16.0


def build_pipeline():
    return make_pipeline(
        FunctionTransformer(_grey_levels),
        MLPClassifier(hidden_layer_sizes=(64, 32), early_stopping=True, n_iter_no_change=20,
                      max_iter=500, random_state=1),
    )
