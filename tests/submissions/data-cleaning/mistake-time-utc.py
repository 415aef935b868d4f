# Parses every format but returns UTC-aware time stamps (utc=True), where the data has no time
# zone: the public test and the judge both say so. Loses the time test (2 points) and the clean
# table's values (1 point); the duplicates are still found.
# expect: 10
# base: reference
# %% cell: time
def parse_time(values):
    return pd.to_datetime(values, format="mixed", utc=True, errors="coerce")
