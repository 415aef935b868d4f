# Cleans the columns in place, in the frame it was given, and returns a renamed view of it: the
# caller's raw data is overwritten. Loses the clean table's contract test (1 point).
# expect: 12
# base: reference
# %% cell: clean
def clean(raw):
    raw["time_stamp"] = parse_time(raw["time_stamp"])
    raw["sex"] = canonical_sex(raw["sex"])
    raw["height"] = parse_height(raw["height"])
    out = raw.rename(columns={"height": "height_in"})
    return out[~out.duplicated(keep="first")]
