"""Judges of feature-engineering's hidden tests, run by the grading process (never by the kernel).

Each judge gets the inputs its hidden test built (the grader's own copies) and what the
candidate's function returned in the kernel, computes the expected values here with the
grader's own numpy / pandas, and raises ``Wrong`` with a teaching message (naming the property
that failed, never the expected value) or returns the fraction of the points earned. Where a
test exists to catch a particular wrong answer, the judge computes that wrong answer too and
raises ``SpecError`` if the test's data cannot tell it from the right one.
"""

import numpy as np
import pandas as pd

from mlchallenge.judging import SpecError, Wrong, compare, judge

CONDITION_ORDER = ["Very_Poor", "Poor", "Fair", "Below_Average", "Average", "Above_Average", "Good",
                   "Very_Good", "Excellent"]
DATE_COLUMNS = ["age_at_sale", "years_since_remodel", "month_sin", "month_cos"]


def _differs(a, b) -> bool:
    """Whether two float arrays differ somewhere (NaN where the other is not counts)."""
    return not compare.is_close(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-9)


def _same_index(got, want_index, message: str) -> None:
    if not got.index.equals(want_index) or len(got.index) != len(want_index):
        raise Wrong(message)


# ---------------------------------------------------------------------------
# 1. Ordinal codes


@judge("test-ordinal")
def ordinal(case):
    (values,) = case.args("codes")
    got = case.returned("codes")
    if not isinstance(got, pd.Series):
        raise Wrong("return a Series with the input's index")
    _same_index(got, values.index, "return a Series with the input's index")
    want = values.map({level: float(rank) for rank, level in enumerate(CONDITION_ORDER, start=1)})
    # the wrong answer this test exists for: codes in alphabetical order (a category's codes)
    alphabetical = values.astype("category").cat.codes.astype(float).add(1).where(values.isin(CONDITION_ORDER))
    if not _differs(alphabetical, want):
        raise SpecError("test-ordinal: alphabetical codes coincide with CONDITION_ORDER on the test's data")
    if not (~values.isin(CONDITION_ORDER)).any():
        raise SpecError("test-ordinal: no value outside CONDITION_ORDER, so NaN is never checked")
    if not pd.api.types.is_float_dtype(got.dtype):
        raise Wrong("return a float Series: the codes as floats, with NaN for a value not in the list")
    compare.allclose(got, want, "the codes should follow CONDITION_ORDER from 1 to 9, with NaN for a "
                                "value not in the list", what="the codes")


# ---------------------------------------------------------------------------
# 2. Target encoding


def _encode(train_values: pd.Series, train_y, values: pd.Series, m: float) -> pd.Series:
    """The contract's smoothed encoding, fitted on train_values / train_y."""
    ys = pd.Series(np.asarray(train_y, dtype=float), index=train_values.index)
    overall = ys.mean()
    stats = ys.groupby(train_values).agg(["count", "mean"])
    smoothed = (stats["count"] * stats["mean"] + m * overall) / (stats["count"] + m)
    return values.map(smoothed).astype(float).fillna(overall)


@judge("test-target-encode")
def target_encode(case):
    encodings = {}
    for key in ("m=0", "m=10"):
        train_values, train_y, values, m = case.args(key)
        got = case.returned(key)
        if not isinstance(got, pd.Series):
            raise Wrong("return a Series with the index of values")
        _same_index(got, values.index, "return a Series with the index of values")
        want = _encode(train_values, train_y, values, m)
        encodings[key] = (got, want)
    train_values, train_y, values, m = case.args("m=10")
    # the wrong answers this test exists for: no smoothing, NaN for an unseen category, and a
    # global mean taken over the categories instead of over the training rows
    if not _differs(_encode(train_values, train_y, values, 0.0), encodings["m=10"][1]):
        raise SpecError("test-target-encode: smoothing does not change the encoding on the test's data")
    if values.isin(set(train_values)).all():
        raise SpecError("test-target-encode: every category is seen in training, so the unseen "
                        "category's global mean is never checked")
    ys = pd.Series(np.asarray(train_y, dtype=float), index=train_values.index)
    per_category = ys.groupby(train_values).mean().mean()
    if np.isclose(per_category, ys.mean(), rtol=1e-9):
        raise SpecError("test-target-encode: the mean over categories equals the mean over rows")
    for got, want in encodings.values():
        compare.allclose(got, want, "the encoding differs from the smoothed training mean (count x mean + "
                                    "m x global mean) / (count + m), with the training global mean for "
                                    "unseen categories", rtol=1e-9, what="the encoding")


def _oof(values: pd.Series, y: pd.Series, folds, m: float) -> pd.Series:
    out = pd.Series(np.nan, index=values.index, dtype=float)
    for train_idx, test_idx in folds:
        out.iloc[test_idx] = _encode(values.iloc[train_idx], y.iloc[train_idx], values.iloc[test_idx],
                                     m).to_numpy()
    return out


@judge("test-oof")
def oof(case):
    values, y, folds, m = case.args("oof")
    _, y2, _, _ = case.args("own-price")
    got, again = case.returned("oof"), case.returned("own-price")
    for result in (got, again):
        if not isinstance(result, pd.Series):
            raise Wrong("return a Series with the index of values")
        _same_index(result, values.index, "return a Series with the index of values")
    want, want2 = _oof(values, y, folds, m), _oof(values, y2, folds, m)
    # the wrong answers this test exists for: in-sample encoding (a row's own price in its
    # encoding), folds read as index labels, no smoothing, NaN where a fold never saw a category
    in_sample, in_sample2 = _encode(values, y, values, m), _encode(values, y2, values, m)
    if not _differs(in_sample, want):
        raise SpecError("test-oof: the in-sample encoding coincides with the out-of-fold one")
    if np.isclose(in_sample.iloc[0], in_sample2.iloc[0], rtol=1e-9) or \
            not np.isclose(want.iloc[0], want2.iloc[0], rtol=1e-9):
        raise SpecError("test-oof: changing the first row's price does not expose an in-sample encoding")
    if set(values.index) & set(range(len(values))):
        raise SpecError("test-oof: the index overlaps the positions, so label lookups may pass")
    if not _differs(_oof(values, y, folds, 0.0), want):
        raise SpecError("test-oof: smoothing does not change the encoding on the test's data")
    if not any((~values.iloc[te].isin(set(values.iloc[tr]))).any() for tr, te in folds):
        raise SpecError("test-oof: no fold meets a category unseen in its training part")
    first, first_again = float(got.iloc[0]), float(again.iloc[0])
    if np.isfinite(first) and np.isfinite(first_again) and abs(first_again - first) >= 1e-9 * max(1.0, abs(first)):
        raise Wrong("a row's encoding changed with its own price: encode each fold's rows with statistics "
                    "from the other folds only")
    message = ("the out-of-fold encoding differs: encode the rows at test_idx (positions) with "
               "target_encode fitted on the rows at train_idx")
    compare.allclose(got, want, message, rtol=1e-9, what="the encoding")
    compare.allclose(again, want2, message, rtol=1e-9, what="the encoding")


# ---------------------------------------------------------------------------
# 3. Date features


@judge("test-dates")
def dates(case):
    (df,) = case.args("dates")
    case.unchanged("dates", "date_features should not modify df")
    got = case.returned("dates")
    if not isinstance(got, pd.DataFrame):
        raise Wrong("return a DataFrame with the index of df")
    _same_index(got, df.index, "return a DataFrame with the index of df")
    if list(got.columns) != DATE_COLUMNS:
        raise Wrong("four columns, in this order: age_at_sale, years_since_remodel, month_sin, month_cos")
    angle = 2 * np.pi * df["Mo_Sold"].to_numpy(dtype=float) / 12
    age = (df["Year_Sold"] - df["Year_Built"]).to_numpy(dtype=float)
    remodel = (df["Year_Sold"] - df["Year_Remod_Add"]).to_numpy(dtype=float)
    # the wrong answers: years subtracted the wrong way round, the two ages swapped, a month
    # that does not go round the circle
    if not (age != 0).any() or not (remodel != 0).any() or not (age != remodel).any():
        raise SpecError("test-dates: the ages cannot tell a reversed subtraction or swapped columns")
    if not {1, 12} <= set(df["Mo_Sold"]):
        raise SpecError("test-dates: December and January are not both in the test's data")
    want = np.column_stack([age, remodel, np.sin(angle), np.cos(angle)])
    compare.allclose(got, want, "the date features differ: ages are the sale year minus the build (or "
                                "remodel) year, the month goes round a circle of 12", what="the date features")


# ---------------------------------------------------------------------------
# 4. Interactions


@judge("test-interactions")
def interactions(case):
    df, pairs = case.args("interactions")
    case.unchanged("interactions", "interactions should not modify df")
    got = case.returned("interactions")
    if not isinstance(got, pd.DataFrame):
        raise Wrong("return a DataFrame with the index of df")
    _same_index(got, df.index, "return a DataFrame with the index of df")
    if list(got.columns) != [f"{a}*{b}" for a, b in pairs]:
        raise Wrong('one column per pair, in order, named "a*b"')
    if not any(a == b for a, b in pairs) or not any(a != b for a, b in pairs):
        raise SpecError("test-interactions: the pairs should hold both a square and a product")
    want = np.column_stack([df[a].to_numpy(dtype=float) * df[b].to_numpy(dtype=float) for a, b in pairs])
    compare.allclose(got, want, "each column should be the product of its pair's columns", what="the interactions")


# ---------------------------------------------------------------------------
# 5. Dollars, not log dollars


@judge("test-dollars")
def dollars(case):
    _, X_train, y_train, X_test = case.args("dollars")
    predictions = compare.float_array(case.returned("dollars"), "the predictions")
    low, high = 50_000, 500_000
    # the wrong answer: a model fitted on log prices whose predictions are never mapped back
    if not low < float(np.median(y_train)) < high or low < float(np.median(np.log(y_train))) < high:
        raise SpecError("test-dollars: the price range cannot tell dollars from log dollars")
    if predictions.shape != (len(X_test),):
        raise Wrong("the pipeline should predict one price for every house")
    if not np.isfinite(predictions).all():
        raise Wrong("the pipeline should predict a finite price for every house")
    if not low < float(np.median(predictions)) < high:
        raise Wrong("the predictions are not in dollars: when the model learns log prices, map its "
                    "predictions back (TransformedTargetRegressor with func=np.log, inverse_func=np.exp)")
