# The clean table built from raw with assign / drop / rename, the heights stored as float32
# (inches to 7 digits, plenty for heights), and the first row of each entry found with
# groupby(..., dropna=False, sort=False).cumcount() == 0, which treats missing values as equal
# (dropna=False) as the contract asks. Full marks.
# expect: 13
# base: reference
# %% cell: clean
def clean(raw):
    out = (raw.assign(time_stamp=parse_time(raw["time_stamp"]),
                      sex=canonical_sex(raw["sex"]),
                      height_in=parse_height(raw["height"]).astype("float32"))
              .drop(columns="height"))
    out = out[["time_stamp", "sex", "height_in"]]
    first = out.groupby(["time_stamp", "sex", "height_in"], dropna=False, sort=False).cumcount() == 0
    return out[first]
