# Solves the from-scratch standardisation by calling scikit-learn's StandardScaler, which the
# task forbids (numpy only). Its numbers match the hidden tests by construction, but the
# task's rule ([rules.standardize] in manifest.toml), checked on the source, takes the points
# of both standardisation tests (3 points).
# flag: rule
# expect: 11
# base: reference
# flag: similarity
# %% cell: standardize
from sklearn.preprocessing import StandardScaler


def standardize(train, test):
    scaler = StandardScaler().fit(train)
    return scaler.transform(train), scaler.transform(test)
