"""Judges of data-cleaning's hidden tests, run by the grading process (never by the kernel).

Each judge gets the raw hidden rows its hidden test built (the grader's own copies) and what the
candidate's function returned in the kernel, cleans the same rows itself by the notebook's
contract, and raises ``Wrong`` with a message that names the property that failed (never the
expected value), or returns the fraction of the points earned.

A judge that names one particular mistake (day-first dates, duplicates removed before cleaning,
rows with an unreadable height dropped) computes that mistake's answer too and raises
``SpecError`` when its rows cannot tell it from the right one.
"""

import re

import numpy as np
import pandas as pd

from mlchallenge.judging import SpecError, Wrong, compare, judge

# ---------------------------------------------------------------------------
# The contract, as the judges compute it

_SPELLINGS = {"male": "Male", "m": "Male", "mlae": "Male",
              "female": "Female", "f": "Female", "femal": "Female", "femlae": "Female"}
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(cm|in|inch|inches|\")?")
_FEET_INCHES = re.compile(
    r"(\d+)\s*(?:'|ft|feet|foot)\s*(?:and\s*)?(?:(\d+(?:\.\d+)?)\s*(?:\"|''|in|inch|inches)?)?")
SHORTEST, TALLEST = 50.0, 84.0


def _sex(value):
    return _SPELLINGS.get(value.strip().lower(), np.nan) if isinstance(value, str) else np.nan


def _reading(text) -> tuple[str, float]:
    """How the contract reads one raw height: its notation ('inches', 'centimetres',
    'feet and inches' or 'unreadable') and the height in inches before the range check."""
    if not isinstance(text, str):
        return "unreadable", np.nan
    text = text.strip().lower()
    match = _NUMBER.fullmatch(text)
    if match:
        value = float(match[1])
        if match[2] == "cm" or (match[2] is None and value >= 100):
            return "centimetres", value / 2.54
        return "inches", value
    match = _FEET_INCHES.fullmatch(text)
    if match is None:
        return "unreadable", np.nan
    rest = float(match[2]) if match[2] else 0.0
    if rest >= 12:
        return "unreadable", np.nan
    return "feet and inches", 12 * int(match[1]) + rest


def _height(text) -> float:
    _, value = _reading(text)
    return value if SHORTEST <= value <= TALLEST else np.nan


def expected_sex(values: pd.Series) -> pd.Series:
    return pd.Series([_sex(v) for v in values], index=values.index, dtype=object)


def expected_height(values: pd.Series) -> pd.Series:
    return pd.Series([_height(v) for v in values], index=values.index, dtype=float)


def expected_time(values: pd.Series, **options) -> pd.Series:
    return pd.to_datetime(values.astype(object), format="mixed", errors="coerce", **options)


def expected_clean(raw: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"time_stamp": expected_time(raw["time_stamp"]),
                        "sex": expected_sex(raw["sex"]),
                        "height_in": expected_height(raw["height"])}, index=raw.index)
    return out[~out.duplicated(keep="first")]


# ---------------------------------------------------------------------------
# Reading what the candidate returned


def _series_like(value, values: pd.Series, what: str) -> pd.Series:
    got = compare.series(value, what)
    if len(got) != len(values):
        raise Wrong(f"{what} returned {len(got)} values for {len(values)} inputs: return one value "
                    "for every input value, never drop one")
    if not got.index.equals(values.index):
        raise Wrong(f"{what} should keep the index of the values it was given (same labels, same "
                    "order)")
    return got


def _times(got: pd.Series, what: str) -> np.ndarray:
    """The candidate's time stamps as naive datetime64[ns] (NaT where missing)."""
    if not pd.api.types.is_datetime64_any_dtype(got):
        raise Wrong(f"{what} should hold datetime64 values (pd.to_datetime gives them), not "
                    f"{got.dtype} values")
    if getattr(got.dt, "tz", None) is not None:
        raise Wrong(f"{what} should hold time stamps without a time zone, as in the data")
    return got.to_numpy().astype("datetime64[ns]")


def _same_times(got: np.ndarray, want: pd.Series) -> np.ndarray:
    """Row by row: the same instant, or both missing."""
    want = want.to_numpy().astype("datetime64[ns]")
    both_missing = np.isnat(got) & np.isnat(want)
    return both_missing | (got == want)


def _labels(got: pd.Series, what: str) -> list:
    values = got.astype(object).tolist()
    for v in values:
        if not (compare._missing(v) or type(v) is str or isinstance(v, np.str_)):
            raise Wrong(f"{what} should hold the labels 'Female' and 'Male' as text (NaN where "
                        "unknown)")
    return [np.nan if compare._missing(v) else str(v) for v in values]


def _same_labels(got: list, want: pd.Series) -> np.ndarray:
    return np.array([(pd.isna(g) and pd.isna(w)) or g == w for g, w in zip(got, want, strict=True)])


def _heights(got: pd.Series, what: str) -> np.ndarray:
    """The candidate's heights as floats, NaN where missing (a nullable Float64 with pd.NA too)."""
    if not pd.api.types.is_numeric_dtype(got) or pd.api.types.is_bool_dtype(got):
        raise Wrong(f"{what} should hold numbers (floats, NaN where there is no height), not "
                    f"{got.dtype} values")
    return got.to_numpy(dtype=float, na_value=np.nan)


def _same_heights(got: np.ndarray, want: pd.Series) -> np.ndarray:
    want = want.to_numpy(dtype=float)
    both_missing = np.isnan(got) & np.isnan(want)
    with np.errstate(invalid="ignore"):
        close = np.abs(got - want) <= 1e-6 * np.abs(want) + 1e-9
    return both_missing | close


# ---------------------------------------------------------------------------
# 1. Labels


def _label_kind(raw) -> str:
    if not isinstance(raw, str) or pd.isna(_sex(raw)):
        return "neither"
    if raw.strip() != raw:
        return "spaces"
    low = raw.lower()
    if low in ("female", "male"):
        return "case"
    if low in ("f", "m"):
        return "abbreviation"
    return "misspelling"


_LABEL_MESSAGES = {
    "case": "labels that differ only in case (male, MALE) should become 'Male' or 'Female'",
    "spaces": "labels with spaces around them should become 'Male' or 'Female': strip the spaces",
    "abbreviation": "the abbreviations F and M (in either case) should become 'Female' and 'Male'",
    "misspelling": "some misspelt labels were not mapped: look at every distinct value of the sex "
                   "column, each one in the data is recognisably one of the two",
    "neither": "a missing label, or one that is neither female nor male, should become NaN (not "
               "a guess)",
}


@judge("test-sex")
def sex(case):
    (values,) = case.args("sex")
    case.unchanged("sex", "canonical_sex modified the values passed in; return a new Series")
    got = _labels(_series_like(case.returned("sex"), values, "canonical_sex()"), "canonical_sex()")
    right = _same_labels(got, expected_sex(values))
    if right.all():
        return 1.0
    kinds = [_label_kind(v) for v in values[~right]]
    for kind in ("case", "spaces", "abbreviation", "misspelling", "neither"):
        if kind in kinds:
            raise Wrong(_LABEL_MESSAGES[kind])
    raise Wrong("some labels did not become 'Female', 'Male' or NaN as the contract says")


# ---------------------------------------------------------------------------
# 2. Heights

_NOTATIONS = {
    "inches": "plain numbers below 100 and numbers followed by in, inch, inches or \" are "
              "inches, taken as they are",
    "centimetres": "heights in centimetres (a number followed by cm, or a plain number of 100 or "
                   "more) should be divided by 2.54",
    "feet and inches": "heights in feet and inches (5'7, 5' 7\", 5 ft 9 inches, 5 feet and 8.11 "
                       "inches, 6') should become 12 x feet + inches",
}


@judge("test-height-units")
def height_units(case):
    (values,) = case.args("height")
    case.unchanged("height", "parse_height modified the values passed in; return a new Series")
    got = _heights(_series_like(case.returned("height"), values, "parse_height()"), "parse_height()")
    want = expected_height(values)
    readings = [_reading(v)[0] for v in values]
    right = _same_heights(got, want)
    failed = []
    # the range's ends are test-height-impossible's: a notation is judged on heights inside it
    inside = ((want > SHORTEST) & (want < TALLEST)).to_numpy()
    for notation in _NOTATIONS:
        rows = np.array([r == notation for r in readings]) & inside
        if not rows.any():
            raise SpecError(f"test-height-units: the hidden rows have no possible height in {notation}")
        if not right[rows].all():
            failed.append(notation)
    if not failed:
        return 1.0
    # one point per notation read right: say what the first wrong one should be
    message = _NOTATIONS[failed[0]]
    if len(failed) > 1:
        message += f" (and {len(failed) - 1} other notation{'s' if len(failed) > 2 else ''} "
        message += "of the contract came out wrong too)"
    fraction = 1.0 - len(failed) / len(_NOTATIONS)
    if fraction == 0.0:
        raise Wrong(message)
    return fraction, message


@judge("test-height-impossible")
def height_impossible(case):
    (values,) = case.args("height")
    got = _heights(_series_like(case.returned("height"), values, "parse_height()"), "parse_height()")
    want = expected_height(values)
    readings = [_reading(v) for v in values]
    missing = want.isna().to_numpy()
    impossible = np.array([kind != "unreadable" for kind, _ in readings]) & missing
    unreadable = np.array([kind == "unreadable" for kind, _ in readings])
    if not impossible.any() or not unreadable.any():
        raise SpecError("test-height-impossible: the hidden rows need both impossible and unreadable heights")
    if not np.isnan(got[impossible]).all():
        raise Wrong("impossible heights, outside 50 to 84 inches once converted (0.7, 6000, 8'), "
                    "should become NaN: they are not a person's height")
    ends = want.isin([SHORTEST, TALLEST]).to_numpy()
    if ends.any() and np.isnan(got[ends]).any():
        raise Wrong("a height of exactly 50 or 84 inches once converted is possible: both ends of "
                    "the range are included")
    possible = want.notna().to_numpy()
    if np.isnan(got[possible]).mean() > 0.5:
        raise Wrong("most possible heights came out as NaN: only unreadable or impossible heights "
                    "become NaN")
    if not np.isnan(got[unreadable]).all():
        raise Wrong("texts that match none of the contract's notations (5,3, 5 11, words, "
                    "inches of 12 or more) should become NaN, not a guess")
    return 1.0


# ---------------------------------------------------------------------------
# 3. Time stamps


@judge("test-time")
def time(case):
    (values,) = case.args("time")
    case.unchanged("time", "parse_time modified the values passed in; return a new Series")
    got = _times(_series_like(case.returned("time"), values, "parse_time()"), "parse_time()")
    want = expected_time(values)
    if _same_times(got, want).all():
        return 1.0
    day_first = expected_time(values, dayfirst=True)
    numeric = values.astype(object).map(lambda v: isinstance(v, str) and "/" in v).to_numpy(dtype=bool)
    if _same_times(day_first.to_numpy().astype("datetime64[ns]"), want)[numeric].all():
        raise SpecError("test-time: the hidden rows cannot tell day-first dates from month-first ones")
    wrong = ~_same_times(got, want)
    if (np.isnat(got) & ~np.isnat(want.to_numpy().astype("datetime64[ns]"))).any():
        raise Wrong("some time stamps came out as NaT although they are in one of the data's "
                    "formats: the column mixes formats, and each must be read")
    if (numeric & wrong).any() and _same_times(got, day_first)[numeric & wrong].all():
        raise Wrong("dates written with numbers only were read day first: they are month/day/year")
    raise Wrong("some time stamps were parsed to the wrong instant: check each format in the data, "
                "and that numeric dates are month/day/year")


# ---------------------------------------------------------------------------
# 4. The clean table

_COLUMNS = ["time_stamp", "sex", "height_in"]


def _clean_result(case) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    (raw,) = case.args("clean")
    got = compare.frame(case.returned("clean"), "clean()")
    if list(got.columns) != _COLUMNS:
        raise Wrong("clean() should return the columns time_stamp, sex and height_in, in this order")
    if not got.index.is_unique:
        raise Wrong("clean() returned an index label more than once: one row per entry, each with "
                    "the index label of its row in raw")
    if not got.index.isin(raw.index).all():
        raise Wrong("the rows of clean() should keep the index labels they had in raw (do not reset "
                    "the index)")
    return raw, got, expected_clean(raw)


def _cleaned_rows(raw: pd.DataFrame) -> pd.DataFrame:
    """Every raw row cleaned (before duplicates are removed)."""
    return pd.DataFrame({"time_stamp": expected_time(raw["time_stamp"]),
                         "sex": expected_sex(raw["sex"]),
                         "height_in": expected_height(raw["height"])}, index=raw.index)


@judge("test-clean-rows")
def clean_rows(case):
    _, got, want = _clean_result(case)
    lost = want.index.difference(got.index)
    if lost.empty:
        return 1.0
    # the mistake this test exists for: rows with a height to repair dropped instead
    repairable = want.index[want["height_in"].isna()]
    if repairable.empty:
        raise SpecError("test-clean-rows: the hidden rows have no height to repair")
    if lost.isin(repairable).all():
        raise Wrong("rows whose height could not be read or was impossible were dropped: repair "
                    "them instead (height NaN) and keep their time stamp and sex")
    raise Wrong("rows that are not a repeat of an earlier entry were dropped: two rows are the same "
                "entry only when their time stamp, sex and height all agree after cleaning")


@judge("test-clean-duplicates")
def clean_duplicates(case):
    raw, got, want = _clean_result(case)
    exact = raw.index[raw.duplicated(keep="first")]
    near = raw.index.difference(want.index).difference(exact)
    if exact.empty or near.empty:
        raise SpecError("test-clean-duplicates: the hidden rows need exact and near duplicates")
    # removing duplicates keeps each repeated entry once: its first row (a table cut short, or
    # emptied, removes them too, and earns nothing here)
    cleaned = _cleaned_rows(raw)
    repeated = cleaned.duplicated(keep=False) & ~cleaned.duplicated(keep="first")
    firsts = cleaned.index[repeated.to_numpy()]
    if not firsts.isin(got.index).all():
        raise Wrong("the first row of an entry that appears more than once is missing: keep the "
                    "first row of each entry and drop only its later repeats")
    extra = got.index.difference(want.index)
    if extra.empty:
        return 1.0
    if extra.isin(exact).any():
        raise Wrong("rows that repeat an earlier row exactly are still there: keep the first row of "
                    "each entry only")
    raise Wrong("rows that are an earlier entry written another way (another time-stamp format, "
                "label spelling or height notation) are still there: compare the rows after "
                "cleaning, not the raw text")


@judge("test-clean-values")
def clean_values(case):
    raw, got, want = _clean_result(case)
    case.unchanged("clean", "clean() modified the raw frame passed in; build a new frame")
    kept = got.index.intersection(want.index, sort=False)
    if len(kept) < len(want) / 2:
        raise Wrong("clean() kept fewer than half of the entries, too few to check its values: "
                    "keep one row for every entry")
    if not got.index.equals(got.index[np.argsort(raw.index.get_indexer(got.index), kind="stable")]):
        raise Wrong("the rows of clean() should be in the order of raw")
    times = _times(got["time_stamp"], "the time_stamp column")
    if not pd.api.types.is_float_dtype(got["height_in"]):
        raise Wrong("the height_in column should hold floats (NaN where the height is unknown)")
    labels = _labels(got["sex"], "the sex column")
    rows = got.index.get_indexer(kept)
    cleaned = _cleaned_rows(raw).loc[kept]
    if not _same_times(times[rows], cleaned["time_stamp"]).all():
        raise Wrong("the time_stamp column is not the time stamps parsed as in task 3")
    if not _same_labels([labels[i] for i in rows], cleaned["sex"]).all():
        raise Wrong("the sex column is not the labels made canonical as in task 1")
    if not _same_heights(_heights(got["height_in"], "height_in")[rows], cleaned["height_in"]).all():
        raise Wrong("the height_in column is not the heights parsed as in task 2 (inches, NaN where "
                    "unreadable or impossible)")
    return 1.0
