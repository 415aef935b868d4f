# parse_height parses nothing: it looks the public checks' texts up in a table of their answers
# and gives NaN for every other text. Both public height checks pass. On the hidden rows every
# height is NaN, which says nothing about impossible heights: the height tests deserve 0 of 4,
# and the clean table's values 0. The rest is the reference's; clean still finds each entry's
# copies by time stamp and label, but compares NaN heights (labels and rows survive: 4).
# expect: 4
# base: reference
# %% cell: height
_KNOWN = {"70": 70.0, "5'7": 67.0, "165cm": 165 / 2.54, "5 ft 9 inches": 69.0, '69"': 69.0}


def parse_height(values):
    return pd.Series([_KNOWN.get(v, np.nan) for v in values], index=values.index, dtype=float)
