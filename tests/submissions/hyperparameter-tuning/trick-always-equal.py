# Returns objects that claim to equal anything (and convert to a plausible AUC) for the
# nested estimate and the reported test score. Gains nothing (4 points lost).
# expect: 9
# base: reference
# %% cell: nested
class _Anything(float):
    def __eq__(self, other):
        return True

    def __float__(self):
        return 0.77

    __hash__ = float.__hash__


def nested_cv_estimate(search, X, y, outer_cv):
    return _Anything(0.77)
# %% cell: discipline
def tune_and_evaluate(X_dev, y_dev, X_test, y_test):
    model = make_model().fit(X_dev, y_dev)
    return model, _Anything(0.77)
