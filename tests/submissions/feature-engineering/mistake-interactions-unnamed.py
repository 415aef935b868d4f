# Returns the products as a bare numpy array (as PolynomialFeatures would), without the
# column names and index the contract asks for. Loses the interactions test (1 point).
# expect: 11
# base: reference
# %% cell: interactions
def interactions(df, pairs):
    return np.column_stack([df[a].to_numpy() * df[b].to_numpy() for a, b in pairs])
