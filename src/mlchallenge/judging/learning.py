"""Did a model learn from its labels? Scores a model reaches by chance, how much two sets of
predictions agree, and why a model task's points are held for a person's review.

``mlchallenge.preprocessors.score`` scores each model task twice: the model fitted on the
grading fold's training rows, and the same model refitted on those rows with their labels
shuffled (``mlchallenge.kernel.predictions.shuffled_refit``). A model that learns from its
labels falls to chance with shuffled labels, and predicts differently.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

METRIC_NAMES = {"roc_auc": "ROC AUC", "accuracy": "accuracy", "rmse_log": "RMSE of log price"}
LOWER_IS_BETTER = {"rmse_log"}

# A model refitted on shuffled training labels that keeps this share of its gain over chance,
# with predictions that agree this much with the ones it made from the true labels, did not
# learn from its labels. Either alone is not enough: a model fitted on shuffled labels can land
# far from chance by luck (on the credit rows, ROC AUC from 0.32 to 0.64 over 20 shuffles of a
# logistic regression), but its predictions are then not the ones it made from the true labels.
KEPT_SHARE = 0.8
AGREEMENT = 0.9


# What a model task's message says when its refit with every category renamed scores worse than
# the model by more than the task's tolerance: a figure for a person (names from domain knowledge
# and names frozen from the labels both lose there), never points; the report asks a question.
RENAMED_DROP = "the model depends on its category names"
RENAMED_QUESTION = ("Refitted with its categories renamed, your model scored clearly lower or "
                    "could not be fitted: which category names does it rely on, and where did they "
                    "come from (domain knowledge, the training rows, or something fixed before "
                    "fitting)?")


def renamed_note(metric: str, score: float, renamed: float | None, error: str | None,
                 tolerance: float) -> str:
    """What a model task's message says of its refit with every category renamed ("" where the
    rows have no category): the figure, and where it is clearly worse, or the refit failed,
    ``RENAMED_DROP``."""
    if renamed is not None:
        text = (f"refitted with every category renamed, the same way in training and test rows: "
                f"{renamed:.3f}\n")
        lost = renamed - score if metric in LOWER_IS_BETTER else score - renamed
        if lost > tolerance:
            text += (f"{RENAMED_DROP} (written into the code or fixed before fitting: a scale, a "
                     "mapping, frozen statistics), which renamed ones no longer match: worth asking "
                     "where they came from; no points depend on it\n")
        return text
    if error is not None:
        return (f"with every category renamed it could not be refitted ({error}): {RENAMED_DROP}: "
                "worth asking where they came from; no points depend on it\n")
    return ""


def better(metric: str, a: float, b: float) -> bool:
    """Whether ``b`` is a better score than ``a`` for ``metric``."""
    return a > b if metric in LOWER_IS_BETTER else a < b


def chance_score(metric: str, labels) -> float:
    """What a model that learned nothing scores on these labels: ROC AUC 0.5, the largest
    class's share (accuracy), the spread of the log prices around their mean (a constant)."""
    if metric == "roc_auc":
        return 0.5
    if metric == "accuracy":
        _, counts = np.unique(np.asarray(labels, dtype=object).astype(str), return_counts=True)
        return float(counts.max() / counts.sum())
    logs = np.log(np.asarray(labels, dtype=float))
    return float(np.sqrt(np.mean((logs - logs.mean()) ** 2)))


def agreement(metric: str, first: list, second: list) -> float:
    """How much two sets of predictions for the same rows agree: the share of equal labels
    (accuracy), else the rank correlation of the scores or prices (1 for the same order)."""
    if metric == "accuracy":
        return float(np.mean([str(a) == str(b) for a, b in zip(first, second, strict=True)]))
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return 1.0 if np.array_equal(a, b) else 0.0
    return float(np.corrcoef(pd.Series(a).rank().to_numpy(), pd.Series(b).rank().to_numpy())[0, 1])


def _gain(metric: str, score: float, chance: float) -> float:
    return chance - score if metric in LOWER_IS_BETTER else score - chance


def held_reason(metric: str, score: float, *, tolerance: float, ceiling: float | None,
                refit: bool, shuffled: float | None, error: str | None, same: float | None,
                chance: float) -> str | None:
    """Why a person should look at this model before it earns points, or None: it did not
    learn from its training labels, its refit on shuffled labels failed, or its score is beyond
    the ``ceiling`` sound solutions reach."""
    name = METRIC_NAMES[metric]
    reasons = []
    if refit and error is not None:
        reasons.append(f"the model could not be refitted on its training rows with the labels "
                       f"shuffled ({error})")
    elif refit:
        assert shuffled is not None and same is not None
        gain, kept = _gain(metric, score, chance), _gain(metric, shuffled, chance)
        if kept >= max(KEPT_SHARE * gain, 5 * tolerance) and same >= AGREEMENT:
            reasons.append(
                f"did not learn from its training labels: refitted on the same rows with the "
                f"labels shuffled, it still scores {name} {shuffled:.3f} on the hidden test rows "
                f"({score:.3f} with the true labels; a model that learns from its labels scores "
                f"about {chance:.3f} then, as a constant does), and its predictions are "
                f"{_same_text(metric, same)} the ones it made from the true labels")
    if ceiling is not None and better(metric, ceiling, score):
        reasons.append(f"{name} {score:.3f} on the hidden test rows is beyond what sound "
                       f"solutions reach on them (at most {ceiling:.3f})")
    return "; ".join(reasons) or None


def _same_text(metric: str, same: float) -> str:
    if metric == "accuracy":
        return f"{100 * same:.0f} % the same as"
    return f"ranked as (rank correlation {same:.2f})"
