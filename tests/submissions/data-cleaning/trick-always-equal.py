# Returns the raw labels (stripped) wrapped in a str subclass that claims to equal anything, so
# the public test's `==` comparison with 'Female' and 'Male' passes; a label that starts with
# neither f nor m becomes NaN. The hidden test compares plain values in the grading process,
# where the labels are the raw spellings: the labels are lost (2 points), so are the clean
# table's values (1 point), and copies of an entry spelt differently stay as duplicates
# (2 points), exactly as for returning the raw spellings honestly.
# expect: 8
# base: reference
# %% cell: sex
class _AlwaysEqual(str):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__


def canonical_sex(values):
    def wrap(value):
        if isinstance(value, str) and value.strip().lower()[:1] in ("f", "m"):
            return _AlwaysEqual(value.strip())
        return np.nan
    return pd.Series([wrap(v) for v in values], index=values.index, dtype=object)
