# Drops the rows whose height parsed to an impossible value (0.7, 6000) instead of repairing
# them; rows with unreadable text are kept with NaN, so the public tests pass. The hidden rows
# hold impossible heights: it loses the rows test (2 points). parse_height itself is the
# reference's.
# expect: 11
# base: reference
# %% cell: clean
def clean(raw):
    text = raw["height"].str.strip().str.lower()
    number = pd.to_numeric(text.str.extract(r"^(\d+(?:\.\d+)?)$")[0])
    inches = number.where(number < 100, number / 2.54)
    impossible = inches.notna() & ~inches.between(50, 84)
    raw = raw[~impossible]
    out = pd.DataFrame({
        "time_stamp": parse_time(raw["time_stamp"]),
        "sex": canonical_sex(raw["sex"]),
        "height_in": parse_height(raw["height"]),
    }, index=raw.index)
    return out[~out.duplicated(keep="first")]
