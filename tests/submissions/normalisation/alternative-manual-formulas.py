# A sound solution with the formulas written out (variance, ptp, quantile), an explicit
# Pipeline, and a scaled logistic regression as the model. Full marks.
# expect: 14
# base: reference
# %% cell: standardize
def standardize(train, test):
    mu = np.mean(train, axis=0)
    sigma = np.sqrt(((train - mu) ** 2).sum(axis=0) / train.shape[0])
    sigma = np.where(sigma > 0, sigma, 1.0)
    return (train - mu) / sigma, (test - mu) / sigma
# %% cell: minmax
def min_max_scale(train, test):
    low = train.min(axis=0)
    span = np.ptp(train, axis=0)
    span = np.where(span == 0, 1.0, span)
    return (train - low) / span, (test - low) / span
# %% cell: robust
def robust_scale(train, test):
    q1, med, q3 = np.quantile(train, [0.25, 0.5, 0.75], axis=0)
    iqr = np.where(q3 - q1 == 0, 1.0, q3 - q1)
    return (train - med) / iqr, (test - med) / iqr
# %% cell: effect
from sklearn.base import clone
from sklearn.metrics import accuracy_score
from sklearn.pipeline import Pipeline

def scaling_effect(model, X_train, y_train, X_test, y_test):
    raw = clone(model).fit(X_train, y_train).predict(X_test)
    pipe = Pipeline([("scale", StandardScaler()), ("model", clone(model))]).fit(X_train, y_train)
    return accuracy_score(y_test, raw), accuracy_score(y_test, pipe.predict(X_test))
# %% cell: pipeline
from sklearn.linear_model import LogisticRegression

def build_pipeline():
    return Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(max_iter=2000))])
