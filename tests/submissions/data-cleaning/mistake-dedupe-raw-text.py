# Removes duplicates from the raw text before cleaning: the exact copies go, but an entry
# written another way (another date format, spelling or height notation) stays twice. Loses
# the duplicates test (2 points).
# expect: 11
# base: reference
# %% cell: clean
def clean(raw):
    raw = raw.drop_duplicates(keep="first")
    return pd.DataFrame({
        "time_stamp": parse_time(raw["time_stamp"]),
        "sex": canonical_sex(raw["sex"]),
        "height_in": parse_height(raw["height"]),
    }, index=raw.index)
