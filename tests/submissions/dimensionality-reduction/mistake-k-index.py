# Returns the index of the first component that reaches the target, one less than the count.
# Loses the count test (1 point).
# expect: 11
# base: reference
# %% cell: k
def components_for(explained_variance_ratio, target):
    return int(np.argmax(np.cumsum(explained_variance_ratio) >= target))
