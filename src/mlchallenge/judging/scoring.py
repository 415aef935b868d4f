"""How a model task's predictions are judged, in the grading process where the hidden-test
labels are: the scoring spec a hidden test cell declares (one literal call of
``grade_pipeline`` or ``submit_predictions``, read from the instructor's source), the metric of
the predictions against the labels, the points (partial credit between the spec's baseline and
reference), and whether they are held for a person's review. The nbgrader plug-in that applies
it to a notebook is ``mlchallenge.preprocessors.score``.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field, replace

import numpy as np

from mlchallenge.core.dataset_specs import DATASETS
from mlchallenge.judging.learning import (
    LOWER_IS_BETTER,
    METRIC_NAMES,
    agreement,
    better,
    chance_score,
    held_reason,
    renamed_note,
)
from mlchallenge.judging.verdicts import SpecError
from mlchallenge.kernel.outputs import METRICS, PREDICTIONS_MIME

SCORING_CALLS = ("grade_pipeline", "submit_predictions")


class Refused(Exception):
    """The cell's predictions cannot be scored; the message tells the candidate why."""


@dataclass(frozen=True)
class ScoringSpec:
    dataset: str
    metric: str
    baseline: float
    reference: float
    tolerance: float
    positive: object = None
    seed: int = 0
    unseen_categories: bool = False  # the kernel predicts rows with categories new to training
    cpu_budget: float | None = None  # CPU seconds the model may take, built and predicting
    # the best score sound solutions reach on these rows, with a margin: beyond it, held
    ceiling: float | None = None
    # set from the call, never read from a keyword: grade_pipeline refits the model, and a
    # second time on shuffled labels; submit_predictions takes a model the notebook fitted
    refit: bool = field(default=False, compare=False)

    def claims(self) -> dict:
        """What a bundle must say it was made for."""
        return {"dataset": self.dataset, "metric": self.metric, "positive": self.positive,
                "seed": self.seed, "unseen_categories": self.unseen_categories}


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return None


def scoring_spec(source: str) -> ScoringSpec | None:
    """The spec of the one scoring call in a cell's source, or None when it has none.
    Every keyword of the spec must be a literal: nothing in it is computed."""
    if not any(name in source for name in SCORING_CALLS):
        return None
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise SpecError(f"a hidden test cell with a scoring call does not parse: {exc}") from None
    calls = [node for node in ast.walk(tree)
             if isinstance(node, ast.Call) and _called_name(node) in SCORING_CALLS]
    if not calls:
        return None
    if len(calls) > 1:
        raise SpecError("a hidden test cell should make exactly one scoring call")
    fields = {}
    for keyword in calls[0].keywords:
        if keyword.arg in ScoringSpec.__dataclass_fields__ and keyword.arg != "refit":
            try:
                fields[keyword.arg] = ast.literal_eval(keyword.value)
            except ValueError:
                raise SpecError(
                    f"{_called_name(calls[0])}(): {keyword.arg}= should be a literal"
                ) from None
    missing = [name for name in ("dataset", "metric", "baseline", "reference", "tolerance")
               if name not in fields]
    if missing:
        raise SpecError(f"{_called_name(calls[0])}() lacks {', '.join(missing)}")
    spec = ScoringSpec(**fields)
    _check(spec)
    return replace(spec, refit=_called_name(calls[0]) == "grade_pipeline")


def _check(spec: ScoringSpec) -> None:
    """A spec's values make sense, else SpecError naming the one that does not."""
    if spec.dataset not in DATASETS:
        raise SpecError(f"unknown dataset {spec.dataset!r}")
    if spec.metric not in METRICS:
        raise SpecError(f"unknown metric {spec.metric!r}; known: {', '.join(METRICS)}")
    if spec.metric == "roc_auc" and spec.positive is None:
        raise SpecError("ROC AUC needs positive= (the positive class)")
    if type(spec.seed) is not int:
        raise SpecError("seed= should be an integer")
    if spec.cpu_budget is not None and not (type(spec.cpu_budget) in (int, float) and spec.cpu_budget > 0):
        raise SpecError("cpu_budget= should be a positive number of seconds")
    if better(spec.metric, spec.baseline, target(spec)) is not True:
        raise SpecError("the reference must beat the baseline by more than the tolerance")
    if spec.ceiling is not None and (type(spec.ceiling) not in (int, float)
                                     or not better(spec.metric, spec.reference, spec.ceiling)):
        raise SpecError("ceiling= should be a score beyond the reference's")


def target(spec: ScoringSpec) -> float:
    """The score that earns full credit."""
    if spec.metric in LOWER_IS_BETTER:
        return spec.reference + spec.tolerance
    return spec.reference - spec.tolerance


def partial_credit(score: float, baseline: float, reference: float, points: float,
                   tolerance: float) -> float:
    """Points for ``score`` (higher is better): 0 at or below the baseline, full within
    ``tolerance`` of the reference, linear in between."""
    target = reference - tolerance
    if target <= baseline:
        raise ValueError("the reference must beat the baseline by more than the tolerance")
    fraction = (score - baseline) / (target - baseline)
    fraction = max(0.0, min(1.0, fraction))
    return round(fraction * points, 3)


def credit(spec: ScoringSpec, score: float, points: float) -> float:
    """Points for ``score`` under ``spec``, whichever way the metric runs."""
    if spec.metric in LOWER_IS_BETTER:
        return partial_credit(-score, -spec.baseline, -spec.reference, points, spec.tolerance)
    return partial_credit(score, spec.baseline, spec.reference, points, spec.tolerance)


def _numbers(predictions: list) -> np.ndarray:
    if not all(type(v) in (int, float) for v in predictions):
        raise Refused("the predictions should all be numbers")
    values = np.asarray(predictions, dtype=float)
    if not np.isfinite(values).all():
        raise Refused("the predictions hold missing or infinite values")
    return values


def score_predictions(spec: ScoringSpec, predictions: list, labels) -> float:
    """The metric of ``predictions`` against ``labels`` (the hidden-test labels)."""
    truth = np.asarray(labels, dtype=object)
    if spec.metric == "roc_auc":
        from sklearn.metrics import roc_auc_score  # loaded by the first model task scored

        return float(roc_auc_score(truth == spec.positive, _numbers(predictions)))
    if spec.metric == "accuracy":
        if not all(type(v) in (str, int, float, bool) for v in predictions):
            raise Refused("the predicted labels should be plain labels (str or numbers)")
        numbers = (int, float)
        hits = [p == t and (type(p) is type(t) or (type(p) in numbers and type(t) in numbers))
                for p, t in zip(predictions, truth.tolist(), strict=True)]
        return float(np.mean(hits))
    # rmse_log: predictions clipped below at 1, as a price cannot be below 1
    predicted = np.clip(_numbers(predictions), 1.0, None)
    errors = np.log(predicted) - np.log(np.asarray(labels, dtype=float))
    return float(np.sqrt(np.mean(errors * errors)))


@dataclass(frozen=True)
class Judgement:
    """What a model task's predictions earned: the score on the hidden-test rows, the points,
    the score of the model refitted on shuffled labels (a refit task), and why the points are
    held for a person's review, if they are."""

    score: float
    points: float
    shuffled: float | None = None
    held: str | None = None
    chance: float | None = None
    renamed: float | None = None  # refitted with every category renamed: a figure, never points
    renamed_error: str | None = None


def _refit_score(spec: ScoringSpec, refit, labels) -> tuple[float | None, str | None]:
    """(score, None) of one of the grader's extra refits (shuffled labels, renamed categories),
    or (None, why it has none)."""
    if not isinstance(refit, dict):
        return None, "its result is not in the grader's format"
    if isinstance(refit.get("error"), str):
        return None, refit["error"]
    predictions = refit.get("predictions")
    if not isinstance(predictions, list) or len(predictions) != len(labels):
        return None, "its predictions are not one per hidden test row"
    try:
        score = score_predictions(spec, predictions, labels)
    except Refused as exc:
        return None, str(exc)
    return (score, None) if math.isfinite(score) else (None, "its score is not a number")


def _shuffled(spec: ScoringSpec, bundle: dict, labels) -> tuple[float | None, str | None]:
    """(score, None) of the refit on shuffled labels, or (None, why it has none)."""
    if not isinstance(bundle.get("shuffled"), dict):
        raise Refused("the refit on shuffled labels is missing (was the grader's call replaced?)")
    return _refit_score(spec, bundle["shuffled"], labels)


def judge(spec: ScoringSpec, bundles: list, labels, points: float) -> Judgement:
    """What the cell's bundles earn, or Refused with the reason."""
    if not bundles:
        raise Refused(
            "the hidden test produced no predictions to score (was the grader's call replaced?)"
        )
    if len(bundles) > 1:
        raise Refused(
            f"the hidden test cell holds {len(bundles)} sets of predictions where the grader "
            "emits one: predictions displayed by your own code are not accepted"
        )
    bundle = bundles[0]["data"][PREDICTIONS_MIME]
    if not isinstance(bundle, dict) or not isinstance(bundle.get("predictions"), list):
        raise Refused("the predictions are not in the grader's format")
    for key, wanted in spec.claims().items():
        if bundle.get(key) != wanted or type(bundle.get(key)) is not type(wanted):
            raise Refused(
                f"the predictions were made for {key}={bundle.get(key)!r}, but this test scores "
                f"{key}={wanted!r}"
            )
    if spec.cpu_budget is not None:
        spent = bundle.get("cpu_seconds")
        if not (type(spent) is int or type(spent) is float) or not math.isfinite(spent) or spent < 0:
            raise Refused("the time the model took was not recorded")
        if spent > spec.cpu_budget:
            raise Refused(f"building the model and its predictions used {spent:.1f} s of CPU time, "
                          f"over the budget of {spec.cpu_budget:g} s: use a smaller search (fewer "
                          "candidates, successive halving, a smaller n_iter)")
    predictions = bundle["predictions"]
    if len(predictions) != len(labels):
        raise Refused(
            f"{len(predictions)} predictions for {len(labels)} hidden test rows: predict one "
            "value per row"
        )
    score = score_predictions(spec, predictions, labels)
    if not math.isfinite(score):
        raise Refused("the predictions produced a score that is not a number")
    shuffled, error = _shuffled(spec, bundle, labels) if spec.refit else (None, None)
    same = (agreement(spec.metric, predictions, bundle["shuffled"]["predictions"])
            if shuffled is not None else None)
    chance = chance_score(spec.metric, labels)
    held = held_reason(spec.metric, score, tolerance=spec.tolerance, ceiling=spec.ceiling,
                       refit=spec.refit, shuffled=shuffled, error=error, same=same, chance=chance)
    # the rows have categories to rename where the kernel sent this refit
    renamed, renamed_error = (_refit_score(spec, bundle["renamed"], labels)
                              if spec.refit and "renamed" in bundle else (None, None))
    return Judgement(score=score, points=0.0 if held else credit(spec, score, points),
                     shuffled=shuffled, held=held,
                     chance=chance if spec.refit else None,
                     renamed=renamed, renamed_error=renamed_error)


def summary(spec: ScoringSpec, score: float, judgement: Judgement | None = None) -> str:
    name = METRIC_NAMES[spec.metric]
    worse, full = ("above", "below") if spec.metric in LOWER_IS_BETTER else ("below", "above")
    text = (f"{name} on the hidden test rows: {score:.3f} (no credit at or {worse} "
            f"{spec.baseline:.3f}, full credit at or {full} {target(spec):.3f})\n")
    if judgement is not None and judgement.shuffled is not None:
        text += (f"refitted on the same rows with the labels shuffled: {judgement.shuffled:.3f} "
                 f"(a model that learns from its labels scores about {judgement.chance:.3f} then, "
                 "as a constant does)\n")
    if spec.metric == "roc_auc" and score < INVERTED_AUC:
        text += (f"an ROC AUC below 0.5 ranks the rows the wrong way round: the scores point to the "
                 f"other class; score the positive class ({spec.positive!r}: its predict_proba "
                 "column, or decision_function's sign for it)\n")
    if judgement is not None:
        text += renamed_note(spec.metric, score, judgement.renamed, judgement.renamed_error,
                             spec.tolerance)
    return text


INVERTED_AUC = 0.45  # below this, a ranking is more likely inverted than merely weak
