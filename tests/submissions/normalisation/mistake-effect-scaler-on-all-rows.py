# Fits the scaler on training and test rows together before comparing: the scaled accuracy
# is measured with leakage. Loses the scaling-effect test (2 points).
# expect: 12
# base: reference
# %% cell: effect
from sklearn.base import clone
from sklearn.metrics import accuracy_score

def scaling_effect(model, X_train, y_train, X_test, y_test):
    scaler = StandardScaler().fit(pd.concat([X_train, X_test]))
    raw = clone(model).fit(X_train, y_train)
    scaled = clone(model).fit(scaler.transform(X_train), y_train)
    return (accuracy_score(y_test, raw.predict(X_test)),
            accuracy_score(y_test, scaled.predict(scaler.transform(X_test))))
