# Vectorised pandas string methods throughout: labels by their first letter, heights with
# Series.str.extract and arithmetic on whole columns, time stamps by trying each of the four
# formats in turn (combine_first), duplicates with drop_duplicates. Full marks.
# expect: 13
# base: reference
# %% cell: sex
def canonical_sex(values):
    first = values.str.strip().str.lower().str[:1]
    return first.map({"f": "Female", "m": "Male"})
# %% cell: height
def parse_height(values):
    text = values.str.strip().str.lower()
    simple = text.str.extract(r"^(\d+(?:\.\d+)?)\s*(cm|in|inch|inches|\")?$")
    number = pd.to_numeric(simple[0])
    centimetres = (simple[1] == "cm") | (simple[1].isna() & (number >= 100))
    height = number.where(~centimetres, number / 2.54)
    compound = text.str.extract(
        r"^(\d+)\s*(?:'|ft|feet|foot)\s*(?:and\s*)?(?:(\d+(?:\.\d+)?)\s*(?:\"|''|in|inch|inches)?)?$")
    feet = pd.to_numeric(compound[0])
    inches = pd.to_numeric(compound[1]).fillna(0.0)
    height = height.fillna((12 * feet + inches).where(inches < 12))
    return height.where(height.between(50, 84)).astype(float)
# %% cell: time
def parse_time(values):
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for layout in ["%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%b %d %Y %I:%M:%S %p"]:
        parsed = parsed.combine_first(pd.to_datetime(values, format=layout, errors="coerce"))
    return parsed
# %% cell: clean
def clean(raw):
    out = pd.concat({"time_stamp": parse_time(raw["time_stamp"]),
                     "sex": canonical_sex(raw["sex"]),
                     "height_in": parse_height(raw["height"])}, axis=1)
    return out.drop_duplicates(keep="first")
