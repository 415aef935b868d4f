"""Judges of take-home-churn's hidden tests, run by the grading process (never by the kernel).
The churn model (test-pipeline) is refitted in the kernel and its predictions scored by
ScoreHiddenPredictions; the threshold is judged here."""

import numpy as np

from mlchallenge.judging import compare, judge


def _cost(t: float, leaves: np.ndarray, proba: np.ndarray, offer_cost: float, churn_loss: float) -> float:
    called = proba >= t
    return float(offer_cost * called.sum() + churn_loss * (leaves & ~called).sum())


@judge("test-threshold")
def threshold(case):
    for key in case.calls:
        churn, proba = case.args(key)
        costs = case.kwargs(key)
        offer, loss = costs["offer_cost"], costs["churn_loss"]
        leaves = (churn == "Yes").to_numpy()
        proba = np.asarray(proba, dtype=float)
        got = compare.number(case.returned(key), "choose_threshold()")
        best = min(_cost(t, leaves, proba, offer, loss) for t in [*np.unique(proba), np.inf])
        assert _cost(got, leaves, proba, offer, loss) <= best + 1e-6, (
            f"with offer_cost={offer:g} and churn_loss={loss:g} the threshold returned does not give "
            "the lowest campaign cost")
