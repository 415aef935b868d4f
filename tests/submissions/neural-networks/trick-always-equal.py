# Returns an object that claims to equal anything, to be finite and to sum to anything, instead
# of probabilities. Gains nothing on the softmax, and backpropagation, which computes with the
# softmax it is given, fails too (6 points lost).
# expect: 16
# base: reference
# %% cell: softmax
class _Anything:
    shape = (2, 3)

    def __eq__(self, other):
        return True

    def __gt__(self, other):
        return True

    def __getitem__(self, key):
        return self

    def sum(self, *args, **kwargs):
        return self

    def __array__(self, *args, **kwargs):
        return np.ones((2, 3)) / 3.0


def softmax(Z):
    return _Anything()
