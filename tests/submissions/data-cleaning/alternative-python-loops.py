# Plain Python, one value at a time: a mapping table of the spellings (case-folded), a table of
# (pattern, conversion) pairs tried in order for the heights, datetime.strptime over the known
# formats, and a loop that remembers which cleaned entries it has seen. Full marks.
# expect: 13
# base: reference
# %% cell: sex
SPELLINGS = {
    "female": "Female", "f": "Female", "femal": "Female", "femlae": "Female",
    "male": "Male", "m": "Male", "mlae": "Male",
}


def canonical_sex(values):
    labels = []
    for value in values:
        key = value.strip().casefold() if isinstance(value, str) else None
        labels.append(SPELLINGS.get(key, np.nan))
    return pd.Series(labels, index=values.index, dtype=object)
# %% cell: height
CM_PER_INCH = 2.54
NUMBER = r"\d+(?:\.\d+)?"
RULES = [
    (re.compile(rf"({NUMBER})"), lambda m: float(m[1]) / CM_PER_INCH if float(m[1]) >= 100 else float(m[1])),
    (re.compile(rf"({NUMBER})\s*cm"), lambda m: float(m[1]) / CM_PER_INCH),
    (re.compile(rf"({NUMBER})\s*(?:in|inch|inches|\")"), lambda m: float(m[1])),
    (re.compile(rf"(\d+)\s*(?:'|ft|feet|foot)\s*(?:and\s*)?(?:({NUMBER})\s*(?:\"|''|in|inch|inches)?)?"),
     lambda m: 12 * int(m[1]) + float(m[2] or 0) if float(m[2] or 0) < 12 else None),
]


def one_height(text):
    if not isinstance(text, str):
        return np.nan
    text = text.strip().lower()
    for pattern, convert in RULES:
        match = pattern.fullmatch(text)
        if match:
            value = convert(match)
            if value is not None and 50 <= value <= 84:
                return value
            return np.nan
    return np.nan


def parse_height(values):
    return pd.Series([one_height(v) for v in values], index=values.index, dtype=float)
# %% cell: time
from datetime import datetime

LAYOUTS = ["%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%b %d %Y %I:%M:%S %p"]


def one_time(text):
    if isinstance(text, str):
        for layout in LAYOUTS:
            try:
                return datetime.strptime(text.strip(), layout)
            except ValueError:
                continue
    return pd.NaT


def parse_time(values):
    return pd.to_datetime(pd.Series([one_time(v) for v in values], index=values.index))
# %% cell: clean
def clean(raw):
    times = parse_time(raw["time_stamp"])
    sexes = canonical_sex(raw["sex"])
    sizes = parse_height(raw["height"])
    seen, keep = set(), []
    for label in raw.index:
        key = tuple(None if pd.isna(v) else v for v in (times[label], sexes[label], sizes[label]))
        keep.append(key not in seen)
        seen.add(key)
    out = pd.DataFrame({"time_stamp": times, "sex": sexes, "height_in": sizes}, index=raw.index)
    return out[keep]
