# Mini-batch gradient descent exactly by the stated rule, numpy only: the starting parameters
# are copied into a dict the candidate calls `clone`, the number of batches is math.ceil(n / b),
# and the epoch losses come back as a list of floats via statistics.fmean. No library beyond
# numpy and the standard library is used anywhere in the cell. Full marks.
# expect: 22
# base: reference
# %% cell: train
import math
import statistics


def train(X, y, params, grad_fn, lr, epochs, batch_size, seed):
    clone = {name: np.copy(value).astype(float) for name, value in params.items()}
    rng = np.random.default_rng(seed)
    n = len(X)
    epoch_losses = []
    for _ in range(epochs):
        order = rng.permutation(n)
        batch_losses = []
        for b in range(math.ceil(n / batch_size)):
            rows = order[b * batch_size:(b + 1) * batch_size]
            loss, grads = grad_fn(clone, X[rows], y[rows])
            batch_losses.append(loss)
            clone = {name: clone[name] - lr * grads[name] for name in clone}
        epoch_losses.append(statistics.fmean(batch_losses))
    return clone, epoch_losses
