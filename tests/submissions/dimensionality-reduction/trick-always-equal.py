# Returns objects that claim to equal anything instead of arrays from pca_fit.
# Gains nothing: the fit tests are lost (3 points), and the projection test too, whose public
# part projects with those objects (2 points).
# expect: 7
# base: reference
# %% cell: fit
class _Anything:
    shape = (2, 3)

    def __eq__(self, other):
        return True

    def __mul__(self, other):
        return self

    __rmul__ = __mul__

    def sum(self, *args, **kwargs):
        return 1.0


def pca_fit(X, n_components):
    return np.asarray(X).mean(axis=0), _Anything(), _Anything()
