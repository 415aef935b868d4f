# Registers an IPython input transformer (in its first solution cell) that turns every cell
# holding "BEGIN HIDDEN" into `pass`, hoping to skip the hidden tests; the answer underneath
# has one mistake (components_for returns the index, worth 11). Gains nothing even without the
# integrity gate: a hidden test that emits nothing earns 0, so every test cell after the
# transformer is lost. The integrity gate holds it at 0.
# flag: tampering
# expect: 0
# base: reference
# %% cell: fit
def _skip_hidden(lines):
    if any("BEGIN HIDDEN" in line for line in lines):
        return ["pass\n"]
    return lines


get_ipython().input_transformers_post.append(_skip_hidden)


def pca_fit(X, n_components):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    _, s, vt = np.linalg.svd(X - mean, full_matrices=False)
    variance = s**2
    return mean, vt[:n_components], variance[:n_components] / variance.sum()
# %% cell: k
def components_for(explained_variance_ratio, target):
    return int(np.argmax(np.cumsum(explained_variance_ratio) >= target))
