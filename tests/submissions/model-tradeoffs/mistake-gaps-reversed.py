# Computes test minus training accuracy: the sign of every gap flips.
# Loses the gaps test (2 points).
# expect: 11
# base: reference
# %% cell: depth
def depth_gaps(make_model, depths, X_train, y_train, X_test, y_test):
    gaps = []
    for d in depths:
        model = make_model(d).fit(X_train, y_train)
        gaps.append((model.predict(X_test) == y_test).mean() - (model.predict(X_train) == y_train).mean())
    return np.array(gaps)
