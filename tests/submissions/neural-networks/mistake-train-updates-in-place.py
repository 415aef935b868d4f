# Updates the arrays it was given in place (params[name] -= ...), so the caller's starting
# parameters are trained too: running it twice from "the same" start does not start from the
# same place. The updates themselves follow the rule. Loses the training task (3 points).
# expect: 19
# base: reference
# %% cell: train
def train(X, y, params, grad_fn, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    epoch_losses = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        losses = []
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            loss, grads = grad_fn(params, X[batch], y[batch])
            losses.append(loss)
            for name in params:
                params[name] -= lr * grads[name]
        epoch_losses.append(float(np.mean(losses)))
    return params, epoch_losses
