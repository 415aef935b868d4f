"""Judges of take-home-ames's hidden tests, run by the grading process (never by the kernel).
The price model (test-pipeline) is refitted in the kernel and its predictions scored by
ScoreHiddenPredictions; the metric is judged here."""

import numpy as np

from mlchallenge.judging import compare, judge


def _log_rmse(actual, predicted) -> float:
    actual = np.asarray(actual, dtype=float)
    predicted = np.maximum(np.asarray(predicted, dtype=float), 1.0)
    return float(np.sqrt(np.mean((np.log(predicted) - np.log(actual)) ** 2)))


@judge("test-metric")
def metric(case):
    actual, predicted = case.args("arrays")
    got = compare.number(case.returned("arrays"), "log_rmse()")
    compare.allclose([got], [_log_rmse(actual, predicted)],
                     "log_rmse differs from the root mean squared error of natural-log prices with "
                     "predictions raised to at least 1", what="log_rmse")
    actual, predicted = case.args("series-and-list")
    got = compare.number(case.returned("series-and-list"), "log_rmse()")
    compare.allclose([got], [_log_rmse(actual, predicted)],
                     "log_rmse should accept a pandas Series and a list", what="log_rmse")
