# Treats two rows with the same sex and height as the same entry, whatever their time stamps:
# hundreds of different students are merged into one. Loses the clean table's rows,
# duplicates and values tests (5 points): most entries share a sex and a height, so it keeps
# too few rows for the values to be checked, and drops the first row of repeated entries.
# expect: 8
# base: reference
# %% cell: clean
def clean(raw):
    out = pd.DataFrame({
        "time_stamp": parse_time(raw["time_stamp"]),
        "sex": canonical_sex(raw["sex"]),
        "height_in": parse_height(raw["height"]),
    }, index=raw.index)
    return out[~out.duplicated(subset=["sex", "height_in"], keep="first")]
