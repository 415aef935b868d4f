# Drops the rows whose height could not be read or was impossible (dropna) instead of keeping
# them with a missing height, which the task says to repair, not drop. Loses the rows test
# (2 points); every other part is the reference's.
# expect: 11
# base: reference
# %% cell: clean
def clean(raw):
    out = pd.DataFrame({
        "time_stamp": parse_time(raw["time_stamp"]),
        "sex": canonical_sex(raw["sex"]),
        "height_in": parse_height(raw["height"]),
    }, index=raw.index)
    out = out.dropna(subset=["height_in"])
    return out[~out.duplicated(keep="first")]
