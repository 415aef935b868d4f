# Centres new samples with their own mean instead of the training mean passed in.
# Loses the projection test (2 points).
# expect: 10
# base: reference
# flag: leakage
# %% cell: transform
def pca_transform(X_new, mean, components):
    X_new = np.asarray(X_new, dtype=float)
    return (X_new - X_new.mean(axis=0)) @ components.T
