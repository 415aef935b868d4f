# Loops over range(len(x)): for a matrix it perturbs a whole row at once and writes the change of
# f into every entry of that row, instead of one entry at a time. Right for a vector, wrong for
# the weight matrices it exists to check. Loses the finite-difference task (2 points).
# expect: 20
# base: reference
# %% cell: numerical-gradient
def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in range(len(x)):
        original = x[i].copy()
        x[i] = original + eps
        above = f(x)
        x[i] = original - eps
        below = f(x)
        x[i] = original
        grad[i] = (above - below) / (2.0 * eps)
    return grad
