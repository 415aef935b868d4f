# pd.to_datetime without format="mixed": pandas takes the format of the first value and turns
# every time stamp written another way into NaT (errors="coerce"). Loses the time test
# (2 points), the clean table's values (1 point), the duplicates whose copies came in another
# format (2 points), and merges different students whose time stamps both became NaT (2 points).
# expect: 6
# base: reference
# %% cell: time
def parse_time(values):
    return pd.to_datetime(values, errors="coerce")
