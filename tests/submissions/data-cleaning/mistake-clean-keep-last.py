# Keeps the last row of each entry (duplicated(keep="last")) where the contract keeps the first:
# the first copies are dropped and the later ones kept. Loses the rows test (2 points) and the
# duplicates test (2 points); the values of the rows it keeps are right (1 point).
# expect: 9
# base: reference
# %% cell: clean
def clean(raw):
    out = pd.DataFrame({
        "time_stamp": parse_time(raw["time_stamp"]),
        "sex": canonical_sex(raw["sex"]),
        "height_in": parse_height(raw["height"]),
    }, index=raw.index)
    return out[~out.duplicated(keep="last")]
