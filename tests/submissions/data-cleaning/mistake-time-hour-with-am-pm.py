# Tries the four formats in turn, but writes the month-name one with %H (0-23) instead of %I
# (1-12) before %p, so the AM/PM marker is ignored: "Sep 02 2014 01:40:36 PM" becomes 01:40.
# Loses the time test (2 points) and the clean table's values (1 point); copies of an entry
# written with a month name no longer match the original (2 points).
# expect: 8
# base: reference
# %% cell: time
from datetime import datetime

_LAYOUTS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y %H:%M:%S", "%b %d %Y %H:%M:%S %p"]


def parse_time(values):
    def one(text):
        if isinstance(text, str):
            for layout in _LAYOUTS:
                try:
                    return datetime.strptime(text.strip(), layout)
                except ValueError:
                    pass
        return pd.NaT

    return pd.to_datetime(pd.Series([one(v) for v in values], index=values.index, dtype=object))
