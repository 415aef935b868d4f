# Every from-scratch task written another way: the softmax from a stable log-sum-exp, the loss
# from a one-hot matrix, backpropagation through np.where, finite differences over a flat view,
# training with in-place updates on its own copies; the pipeline scales to [0, 1] with
# MinMaxScaler, and the answers are spelled in capitals with stray spaces. Full marks.
# expect: 22
# base: reference
# %% cell: softmax
def _logsumexp(Z):
    top = np.max(Z, axis=1, keepdims=True)
    return top + np.log(np.sum(np.exp(Z - top), axis=1, keepdims=True))


def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    return np.exp(Z - _logsumexp(Z))
# %% cell: cross-entropy
def cross_entropy(Z, y):
    Z = np.asarray(Z, dtype=float)
    one_hot = np.zeros_like(Z)
    one_hot[np.arange(len(y)), y] = 1.0
    log_probs = Z - _logsumexp(Z)
    return float(-(one_hot * log_probs).sum() / len(y))
# %% cell: forward
def forward(params, X):
    A = np.dot(X, params["W1"]) + params["b1"][None, :]
    H = np.where(A > 0, A, 0.0)
    return H, np.dot(H, params["W2"]) + params["b2"][None, :]
# %% cell: backward
def backward(params, X, y):
    H, Z = forward(params, X)
    one_hot = np.eye(Z.shape[1])[y]
    dZ = (softmax(Z) - one_hot) / X.shape[0]
    dA = np.where(H > 0, dZ @ params["W2"].T, 0.0)
    return {"W2": H.T @ dZ, "b2": dZ.sum(axis=0), "W1": X.T @ dA, "b1": dA.sum(axis=0)}
# %% cell: numerical-gradient
def numerical_gradient(f, x, eps=1e-5):
    flat = x.reshape(-1)  # a view: changing it changes x
    grad = np.empty(flat.size)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + eps
        plus = f(x)
        flat[i] = keep - eps
        minus = f(x)
        flat[i] = keep
        grad[i] = (plus - minus) / (2 * eps)
    return grad.reshape(x.shape)
# %% cell: train
def train(X, y, params, grad_fn, lr, epochs, batch_size, seed):
    current = {name: value.astype(float).copy() for name, value in params.items()}
    rng = np.random.default_rng(seed)
    history = []
    n = X.shape[0]
    n_batches = -(-n // batch_size)
    for epoch in range(epochs):
        order = rng.permutation(n)
        total = 0.0
        for b in range(n_batches):
            rows = order[b * batch_size:min(n, (b + 1) * batch_size)]
            loss, grads = grad_fn(current, X[rows], y[rows])
            total += loss
            for name in current:
                current[name] -= lr * grads[name]
        history.append(total / n_batches)
    return current, history
# %% cell: rates
RUNS = {"lr=0.001": "Too slow", "lr=0.1": " GOOD", "lr=5": "Unstable", "raw pixels, lr=0.1": "unstable "}
# %% cell: pipeline
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler


def build_pipeline():
    return Pipeline([
        ("scale", MinMaxScaler()),
        ("net", MLPClassifier(hidden_layer_sizes=(128,), early_stopping=True, n_iter_no_change=20,
                              max_iter=400, random_state=0)),
    ])
