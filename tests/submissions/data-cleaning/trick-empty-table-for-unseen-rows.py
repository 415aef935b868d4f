# Detects the hidden checks by the size of their input: on a frame of three rows (the public
# check's) clean does the work; on anything larger it returns an empty table with the right
# columns and dtypes. On the hidden rows it has removed no duplicate and kept no row: it should
# earn nothing from the three clean-table tests (13 - 5 = 8).
# expect: 8
# base: reference
# %% cell: clean
def clean(raw):
    out = pd.DataFrame({
        "time_stamp": parse_time(raw["time_stamp"]),
        "sex": canonical_sex(raw["sex"]),
        "height_in": parse_height(raw["height"]),
    }, index=raw.index)
    if len(raw) > 3:
        return out.iloc[:0]
    return out[~out.duplicated(keep="first")]
