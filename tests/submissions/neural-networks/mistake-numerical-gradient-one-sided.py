# A one-sided (forward) difference (f(x + eps) - f(x)) / eps: its error is of order eps, far
# larger than the central difference's eps squared, and it misses the gradient of a curved
# function. Loses the finite-difference task (2 points).
# expect: 20
# base: reference
# %% cell: numerical-gradient
def numerical_gradient(f, x, eps=1e-5):
    base = f(x)
    grad = np.zeros_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        grad[index] = (f(x) - base) / eps
        x[index] = original
    return grad
