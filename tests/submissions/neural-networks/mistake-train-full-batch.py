# One update per epoch, on the gradient over all the rows (full-batch gradient descent) where
# the stated rule is one update per batch of batch_size rows. Loses the training task (3 points).
# expect: 19
# base: reference
# %% cell: train
def train(X, y, params, grad_fn, lr, epochs, batch_size, seed):
    params = {name: np.array(value, dtype=float) for name, value in params.items()}
    epoch_losses = []
    for _ in range(epochs):
        loss, grads = grad_fn(params, X, y)
        params = {name: value - lr * grads[name] for name, value in params.items()}
        epoch_losses.append(float(loss))
    return params, epoch_losses
