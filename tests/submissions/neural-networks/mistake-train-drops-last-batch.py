# Makes len(X) // batch_size full batches and leaves out the rows that are left: the last,
# smaller batch never gets its update. Loses the training task (3 points).
# expect: 19
# base: reference
# %% cell: train
def train(X, y, params, grad_fn, lr, epochs, batch_size, seed):
    params = {name: np.array(value, dtype=float) for name, value in params.items()}
    rng = np.random.default_rng(seed)
    epoch_losses = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        losses = []
        for b in range(len(X) // batch_size):
            batch = order[b * batch_size:(b + 1) * batch_size]
            loss, grads = grad_fn(params, X[batch], y[batch])
            losses.append(loss)
            params = {name: value - lr * grads[name] for name, value in params.items()}
        epoch_losses.append(float(np.mean(losses)))
    return params, epoch_losses
