# Parsing written another way: the labels matched by two case-insensitive regular expressions,
# the heights by one verbose regular expression with named groups (a number with an optional
# unit, or feet then optional inches), the time stamps one by one with dateutil's parser (month
# first by default, as the contract asks), and the duplicates found with DataFrame.duplicated
# on the cleaned columns. Full marks.
# expect: 13
# base: reference
# %% cell: sex
_FEMALE = re.compile(r"f|female|femal|femlae", re.IGNORECASE)
_MALE = re.compile(r"m|male|mlae", re.IGNORECASE)


def canonical_sex(values):
    def one(value):
        if not isinstance(value, str):
            return np.nan
        value = value.strip()
        if _FEMALE.fullmatch(value):
            return "Female"
        if _MALE.fullmatch(value):
            return "Male"
        return np.nan

    return pd.Series([one(v) for v in values], index=values.index, dtype=object)
# %% cell: height
_HEIGHT = re.compile(
    r"""
    (?P<number>\d+(?:\.\d+)?)\s*(?P<unit>cm|inches|inch|in|")?       # 70, 70.5, 165cm, 67 in, 69"
    |
    (?P<feet>\d+)\s*(?:'|ft|feet|foot)\s*(?:and\s*)?                   # 5', 5 ft, 5 feet and
    (?:(?P<inches>\d+(?:\.\d+)?)\s*(?:"|''|inches|inch|in)?)?          # 7, 7", 7'', 8.11 inches
    """,
    re.VERBOSE,
)


def parse_height(values):
    out = []
    for text in values:
        value = np.nan
        match = _HEIGHT.fullmatch(text.strip().lower()) if isinstance(text, str) else None
        if match and match["number"] is not None:
            value = float(match["number"])
            if match["unit"] == "cm" or (match["unit"] is None and value >= 100):
                value /= 2.54
        elif match:
            inches = float(match["inches"] or 0)
            value = 12 * int(match["feet"]) + inches if inches < 12 else np.nan
        out.append(value if 50 <= value <= 84 else np.nan)
    return pd.Series(out, index=values.index, dtype=float)
# %% cell: time
from dateutil import parser as _dateparser


def parse_time(values):
    def one(text):
        if not isinstance(text, str):
            return pd.NaT
        try:
            return _dateparser.parse(text)
        except (ValueError, OverflowError):
            return pd.NaT

    return pd.to_datetime(pd.Series([one(v) for v in values], index=values.index, dtype=object))
