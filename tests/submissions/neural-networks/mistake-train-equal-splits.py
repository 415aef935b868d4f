# Splits each epoch's order into ceil(n / batch_size) batches of nearly equal size with
# np.array_split, not into consecutive slices of batch_size rows: the same number of updates,
# but different batches from the stated rule. Loses the training task (3 points).
# expect: 19
# base: reference
# %% cell: train
import math


def train(X, y, params, grad_fn, lr, epochs, batch_size, seed):
    params = {name: np.array(value, dtype=float) for name, value in params.items()}
    rng = np.random.default_rng(seed)
    epoch_losses = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        losses = []
        for batch in np.array_split(order, math.ceil(len(X) / batch_size)):
            loss, grads = grad_fn(params, X[batch], y[batch])
            losses.append(loss)
            params = {name: value - lr * grads[name] for name, value in params.items()}
        epoch_losses.append(float(np.mean(losses)))
    return params, epoch_losses
