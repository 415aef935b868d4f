# Creates rng = np.random.default_rng(seed) inside the epoch loop: every epoch draws the same
# permutation, so the batches repeat (the rule creates the generator once). Loses the training
# task (3 points).
# expect: 19
# base: reference
# %% cell: train
def train(X, y, params, grad_fn, lr, epochs, batch_size, seed):
    params = {name: np.array(value, dtype=float) for name, value in params.items()}
    epoch_losses = []
    for _ in range(epochs):
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(X))
        losses = []
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            loss, grads = grad_fn(params, X[batch], y[batch])
            losses.append(loss)
            params = {name: value - lr * grads[name] for name, value in params.items()}
        epoch_losses.append(float(np.mean(losses)))
    return params, epoch_losses
