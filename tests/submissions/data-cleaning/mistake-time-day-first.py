# Reads numeric dates day first (dayfirst=True), as in Europe: 09/02/2014 becomes the 9th of
# February (and pandas applies it to the ISO dates too). Loses the time test (2 points), the
# clean table's values (1 point) and the duplicates whose copies are written with a month name
# (2 points).
# expect: 8
# base: reference
# %% cell: time
def parse_time(values):
    return pd.to_datetime(values, format="mixed", dayfirst=True, errors="coerce")
