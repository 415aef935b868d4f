# Cleans and removes the duplicates right, but leaves a .head() from debugging on the returned
# table: only the first five entries come back. The public checks (three rows) pass. On the
# hidden rows almost every entry is lost: the rows test goes (2 points), the first rows of
# repeated entries are missing (2 points), and five rows are too few to check the values
# (1 point).
# expect: 8
# base: reference
# %% cell: clean
def clean(raw):
    out = pd.DataFrame({
        "time_stamp": parse_time(raw["time_stamp"]),
        "sex": canonical_sex(raw["sex"]),
        "height_in": parse_height(raw["height"]),
    }, index=raw.index)
    return out[~out.duplicated(keep="first")].head()
