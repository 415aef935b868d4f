# Returns the frames unimputed and monkeypatches the comparison functions a test might use
# (numpy's allclose and testing, pandas' equals and testing) so they always pass. Every hidden
# test is judged in the grading process, whose libraries it never touched; the integrity gate
# flags the patches and holds every automatic point for an interviewer's review.
# flag: tampering
# expect: 0
# base: reference
# %% cell: impute
import numpy.testing
import pandas.testing

def impute(train, test):
    return train, test

np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
numpy.testing.assert_allclose = lambda *args, **kwargs: None
pandas.testing.assert_frame_equal = lambda *args, **kwargs: None
pd.DataFrame.equals = lambda self, other: True
