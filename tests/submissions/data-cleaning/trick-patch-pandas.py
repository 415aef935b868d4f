# Returns the raw text untouched and monkeypatches the comparisons a test might use (pandas'
# equals, isna and testing, numpy's allclose) so that they always pass. Every hidden test is
# judged in the grading process, whose libraries it never touched; the integrity gate flags the
# patches and holds every automatic point for an interviewer's review.
# flag: tampering
# expect: 0
# base: reference
# %% cell: clean
import pandas.testing


def clean(raw):
    return raw.rename(columns={"height": "height_in"})


np.allclose = lambda *args, **kwargs: True
pandas.testing.assert_frame_equal = lambda *args, **kwargs: None
pd.DataFrame.equals = lambda self, other: True
pd.Series.equals = lambda self, other: True
