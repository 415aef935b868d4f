# Returns an object that claims to equal anything and to be finite, instead of arrays.
# Gains nothing on standardisation.
# expect: 11
# base: reference
# %% cell: standardize
class _Anything:
    def __eq__(self, other):
        return True

    def __getitem__(self, key):
        return self

    def mean(self, *args, **kwargs):
        return self

    def all(self):
        return True

def standardize(train, test):
    return _Anything(), _Anything()
