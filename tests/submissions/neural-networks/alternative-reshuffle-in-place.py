# Training that keeps one index array and reshuffles it in place at the start of every epoch
# (rng.shuffle(order)): a new order each epoch from the one generator, as sound as the stated
# rule though the orders differ after the first epoch. The learning-rate answers are written in
# the candidate's own words ("slow", "converges", "diverges"). Full marks.
# expect: 22
# base: reference
# %% cell: train
def train(X, y, params, grad_fn, lr, epochs, batch_size, seed):
    params = {name: value.copy() for name, value in params.items()}
    rng = np.random.default_rng(seed)
    order = np.arange(len(X))
    epoch_losses = []
    for _ in range(epochs):
        rng.shuffle(order)
        losses = []
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            loss, grads = grad_fn(params, X[rows], y[rows])
            losses.append(loss)
            params = {name: params[name] - lr * grads[name] for name in params}
        epoch_losses.append(float(np.mean(losses)))
    return params, epoch_losses
# %% cell: rates
RUNS = {"lr=0.001": "slow", "lr=0.1": "converges", "lr=5": "diverges", "raw pixels, lr=0.1": "Diverges"}
