"""Hidden-test predictions are scored in the grading process, against labels the kernel never sees."""

from __future__ import annotations

import dataclasses
import shutil
import warnings

import nbformat
import numpy as np
import pytest
from conftest import ROOT, SUBMISSIONS
from hidden_references import MODELS
from nbformat.v4 import new_code_cell, new_notebook, new_output

from mlchallenge.core.course import CONFIG_FILE, Course
from mlchallenge.grading.context import grading_context
from mlchallenge.interviewer.attempts import parse_attempt, write_submission
from mlchallenge.judging import scoring as scoring_mod
from mlchallenge.judging.learning import RENAMED_DROP
from mlchallenge.judging.scoring import (
    Refused,
    ScoringSpec,
    SpecError,
    judge,
    partial_credit,
    score_predictions,
    scoring_spec,
)
from mlchallenge.kernel import datasets
from mlchallenge.kernel import predictions as checks
from mlchallenge.preprocessors.score import ScoreHiddenPredictions

ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())


def _scoring_cells():
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
        for cell in nb.cells:
            spec = scoring_spec(cell.source) if cell.cell_type == "code" else None
            if spec is not None:
                yield assignment, cell.metadata["nbgrader"]["grade_id"], spec


SCORING_CELLS = list(_scoring_cells())


def test_partial_credit_is_linear_between_baseline_and_reference():
    assert partial_credit(0.5, 0.5, 0.9, points=4, tolerance=0.0) == 0
    assert partial_credit(0.7, 0.5, 0.9, points=4, tolerance=0.0) == 2
    assert partial_credit(0.89, 0.5, 0.9, points=4, tolerance=0.02) == 4
    assert partial_credit(0.3, 0.5, 0.9, points=4, tolerance=0.0) == 0
    with pytest.raises(ValueError):
        partial_credit(0.7, 0.9, 0.9, points=4, tolerance=0.0)


def test_the_spec_is_read_from_literals_in_the_cell_source():
    source = ('checks.grade_pipeline(build_pipeline, dataset="telco_churn", metric="roc_auc", '
              'positive="Yes", baseline=0.5, reference=0.85, tolerance=0.01, label="x")')
    assert scoring_spec(source) == ScoringSpec("telco_churn", "roc_auc", 0.5, 0.85, 0.01, "Yes")
    assert scoring_spec("x = 1\nprint(x)") is None
    with pytest.raises(SpecError, match="literal"):
        scoring_spec(source.replace("reference=0.85", "reference=_ref"))
    with pytest.raises(SpecError, match="positive"):
        scoring_spec(source.replace('positive="Yes", ', ""))
    with pytest.raises(SpecError, match="beat the baseline"):
        scoring_spec(source.replace("baseline=0.5", "baseline=0.9"))
    with pytest.raises(SpecError, match="exactly one"):
        scoring_spec(source + "\n" + source)


def _earned(judgement):
    return judgement.score, judgement.points


def _bundle(predictions, **claims):
    spec = dict(dataset="breast_cancer", metric="accuracy", positive=None, seed=0)
    spec.update(claims)
    return new_output("display_data", data={checks.PREDICTIONS_MIME: checks.prediction_bundle(
        predictions, **spec)})


def test_predictions_that_cannot_be_scored_earn_nothing_and_say_why():
    spec = ScoringSpec("breast_cancer", "accuracy", 0.9, 1.0, 0.0)
    labels = ["benign", "malignant", "benign", "benign"]
    assert _earned(judge(spec, [_bundle(list(labels))], labels, 2.0)) == (1.0, 2.0)
    assert _earned(judge(spec, [_bundle(["benign"] * 4)], labels, 2.0)) == (0.75, 0.0)
    refusals = {
        "no predictions": [],
        "2 sets of predictions": [_bundle(labels), _bundle(labels)],
        "dataset='telco_churn'": [_bundle(labels, dataset="telco_churn")],
        "seed=1": [_bundle(labels, seed=1)],
        "3 predictions for 4": [_bundle(labels[:3])],
        "plain labels": [_bundle([None] * 4)],
    }
    for reason, bundles in refusals.items():
        with pytest.raises(Refused, match=reason):
            judge(spec, bundles, labels, 2.0)
    auc = ScoringSpec("breast_cancer", "roc_auc", 0.5, 0.9, 0.0, positive="malignant")
    for bad in ([0.1, float("nan"), 0.2, 0.3], [0.1, "0.9", 0.2, 0.3], [0.1, True, 0.2, 0.3]):
        with pytest.raises(Refused, match=r"numbers|missing"):
            judge(auc, [_bundle(bad, metric="roc_auc", positive="malignant")], labels, 2.0)


def _refit_bundle(predictions, shuffled, **claims):
    output = _bundle(predictions, **claims)
    if shuffled is not None:
        output["data"][checks.PREDICTIONS_MIME]["shuffled"] = shuffled
    return output


def test_a_model_that_keeps_its_score_on_shuffled_labels_is_held_and_one_that_learns_is_not():
    """grade_pipeline refits the model a second time on the same rows with their labels
    shuffled: one that learns from its labels falls to chance and earns its points; one whose
    score survives (a lookup of the rows) did not learn from them and is held, with both
    scores shown; a refit that fails is held too (it could be made to fail on purpose)."""
    source = ('grade_pipeline(build_pipeline, dataset="breast_cancer", metric="accuracy", '
              'baseline=0.6, reference=0.95, tolerance=0.01, refit=False)')
    spec = scoring_spec(source)
    assert spec.refit, "refit comes from the call, never from a keyword"
    assert not scoring_spec(source.replace("grade_pipeline", "submit_predictions")).refit
    rng = np.random.default_rng(0)
    labels = [str(v) for v in rng.choice(["benign", "malignant"], size=120, p=[0.63, 0.37])]
    right = list(labels)
    good = [t if i % 20 else ("benign" if t == "malignant" else "malignant")
            for i, t in enumerate(labels)]  # 95 % right
    chance_like = [str(v) for v in rng.choice(["benign", "malignant"], size=120, p=[0.63, 0.37])]
    honest = judge(spec, [_refit_bundle(good, {"predictions": chance_like})], labels, 4.0)
    assert honest.held is None and honest.points == 4.0
    assert honest.shuffled is not None and honest.shuffled < 0.7
    lookup = judge(spec, [_refit_bundle(right, {"predictions": right})], labels, 4.0)
    assert lookup.points == 0.0 and lookup.score == 1.0 and lookup.shuffled == 1.0
    assert "did not learn from its training labels" in lookup.held
    assert "1.000 with the true labels" in lookup.held
    broken = judge(spec, [_refit_bundle(right, {"error": "ValueError: no"})], labels, 4.0)
    assert broken.points == 0.0 and "could not be refitted" in broken.held
    with pytest.raises(Refused, match="shuffled labels is missing"):
        judge(spec, [_refit_bundle(right, None)], labels, 4.0)
    # a weak honest model a little above chance is not accused for noise on shuffled labels
    weak = [t if i % 4 else "benign" for i, t in enumerate(chance_like)]
    assert judge(spec, [_refit_bundle(weak, {"predictions": chance_like})], labels, 4.0).held is None


def test_a_score_beyond_the_ceiling_is_held_for_review():
    source = ('grade_pipeline(build_pipeline, dataset="telco_churn", metric="roc_auc", '
              'positive="Yes", baseline=0.5, reference=0.84, tolerance=0.01, ceiling=0.9)')
    spec = scoring_spec(source)
    assert spec.ceiling == 0.9
    with pytest.raises(SpecError, match="ceiling"):
        scoring_spec(source.replace("ceiling=0.9", "ceiling=0.8"))
    labels = ["Yes"] * 50 + ["No"] * 150
    perfect = [1.0] * 50 + [0.0] * 150
    noise = [float(v) for v in np.random.default_rng(1).random(200)]
    held = judge(spec, [_refit_bundle(perfect, {"predictions": noise}, dataset="telco_churn",
                                      metric="roc_auc", positive="Yes")], labels, 4.0)
    assert held.points == 0.0 and "beyond what sound solutions reach" in held.held
    good = [0.8 if i % 7 else 0.1 for i in range(50)] + [0.2 if i % 7 else 0.9 for i in range(150)]
    kept = judge(spec, [_refit_bundle(good, {"predictions": noise}, dataset="telco_churn",
                                      metric="roc_auc", positive="Yes")], labels, 4.0)
    assert kept.held is None and kept.points > 0


def test_a_cpu_budget_is_judged_from_the_time_the_bundle_carries():
    spec = ScoringSpec("breast_cancer", "accuracy", 0.9, 1.0, 0.0, cpu_budget=20.0)
    labels = ["benign", "malignant"]

    def timed(seconds):
        output = _bundle(list(labels))
        if seconds is not None:
            output["data"][checks.PREDICTIONS_MIME]["cpu_seconds"] = seconds
        return output

    assert _earned(judge(spec, [timed(3.5)], labels, 2.0)) == (1.0, 2.0)
    with pytest.raises(Refused, match="over the budget of 20 s"):
        judge(spec, [timed(21.0)], labels, 2.0)
    for missing in (None, float("nan"), -1.0, "3"):
        with pytest.raises(Refused, match="not recorded"):
            judge(spec, [timed(missing)], labels, 2.0)
    source = ('submit_predictions(m, dataset="breast_cancer", metric="accuracy", baseline=0.9, '
              'reference=1.0, tolerance=0.0, cpu_budget=20.0, cpu_since=_start)')
    assert scoring_spec(source).cpu_budget == 20.0
    with pytest.raises(SpecError, match="cpu_budget"):
        scoring_spec(source.replace("cpu_budget=20.0", "cpu_budget=-1"))


def test_lower_is_better_for_the_log_price_error():
    spec = ScoringSpec("ames_housing", "rmse_log", 0.4, 0.14, 0.005)
    labels = [100_000.0, 200_000.0]
    assert score_predictions(spec, [100_000.0, 200_000.0], labels) == 0.0
    assert judge(spec, [_bundle([100_000.0, 200_000.0], dataset="ames_housing", metric="rmse_log")],
                 labels, 8.0).points == 8.0
    far = [float(100_000.0 * np.exp(0.5)), float(200_000.0 * np.exp(0.5))]
    assert judge(spec, [_bundle(far, dataset="ames_housing", metric="rmse_log")], labels, 8.0).points == 0.0


def test_every_model_graded_by_a_hidden_test_has_its_reference_and_baseline_recorded():
    assert {(a, g) for a, g, _ in SCORING_CELLS} == set(MODELS)


def test_every_model_task_has_a_ceiling_clear_of_sound_scores_unless_perfect_is_within_reach():
    """A score beyond the ceiling is held for review, so the ceiling sits well beyond the
    reference (0.03 or more). The breast cancer and digits tasks have none: sound models there
    reach 113 of the 114 hidden rows, and 353 of the 360 hidden digits (a scaled network without
    early stopping), so a perfect score is within an honest model's reach."""
    for assignment, grade_id, spec in SCORING_CELLS:
        if spec.dataset in ("breast_cancer", "digits"):
            assert spec.ceiling is None, f"{assignment}/{grade_id}"
            continue
        assert spec.ceiling is not None, f"{assignment}/{grade_id} has no ceiling"
        margin = (spec.reference - spec.ceiling if spec.metric == "rmse_log"
                  else spec.ceiling - spec.reference)
        assert margin >= 0.03 - 1e-9, f"{assignment}/{grade_id}: ceiling too close to the reference"


def test_no_single_hidden_row_decides_full_credit():
    """A model one or two hidden-test rows worse than the reference keeps full credit: for
    accuracy the tolerance spans two rows, for ROC AUC two rows of the smaller class (one row
    moves the AUC by at most 1 / its count). The log-RMSE has no such step: one house moves it
    by how far that price is off, which is the error it measures."""
    for assignment, grade_id, spec in SCORING_CELLS:
        labels = datasets.hidden_test_labels(spec.dataset)
        if spec.metric == "accuracy":
            step = 1 / len(labels)
        elif spec.metric == "roc_auc":
            step = 1 / min(int((labels == spec.positive).sum()), int((labels != spec.positive).sum()))
        else:
            continue
        assert spec.tolerance >= 2 * step, (
            f"{assignment}/{grade_id}: tolerance {spec.tolerance} is under two rows "
            f"({2 * step:.4f}) of the {len(labels)} hidden-test rows")


def test_a_model_held_for_review_is_among_the_report_s_review_flags():
    from mlchallenge.interviewer.reports import REVIEW_MARKERS
    from mlchallenge.preprocessors.score import HELD_NOTE

    assert HELD_NOTE in REVIEW_MARKERS


@pytest.mark.parametrize(("assignment", "grade_id", "spec"), SCORING_CELLS,
                         ids=[f"{a}/{g}" for a, g, _ in SCORING_CELLS])
def test_recorded_reference_and_baseline_scores_match_a_refit_on_the_host(assignment, grade_id, spec):
    """The constants in the hidden test cell are the reference's and the baseline's scores on
    the hidden-test rows, refitted here the way the kernel refits a candidate's model."""
    reference, baseline = MODELS[(assignment, grade_id)]
    fold = datasets.grading_fold(spec.dataset, spec.seed)
    X_test = checks.unseen_categories(fold.X_test, spec.seed) if spec.unseen_categories else fold.X_test
    labels = datasets.hidden_test_labels(spec.dataset)
    scores = []
    for build in (baseline, reference):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = build().fit(fold.X_train, fold.y_train)
            predictions = checks.predictions_for(model, X_test, spec.metric, spec.positive)
        scores.append(score_predictions(spec, predictions, labels))
    assert scores == pytest.approx([spec.baseline, spec.reference], abs=5e-5)


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.parametrize("chosen_by", ["grading context", "plain nbgrader"])
def test_a_grading_kernel_cannot_see_the_hidden_test_labels(course, tmp_path, chosen_by):
    """A notebook run in a real grading kernel, the way autograding runs it, searches every file
    in the datasets folder it is given for the hidden-test rows' labels, and tries the kit's own
    functions: with the view a grading command's context hands the kernels, and with the one
    the execute step writes itself under plain ``nbgrader autograde``."""
    from mlchallenge.preprocessors.execute import GradingExecute

    expected = {name: len(datasets.hidden_test_labels(name)) for name in datasets.DATASETS}
    probe = '''
import os, pathlib
import pandas as pd
from mlchallenge.kernel import datasets
folder = pathlib.Path(os.environ["MLCHALLENGE_DATASETS"])
found = {}
frames = []  # every file in the folder that reads as a table, read once
for path in folder.rglob("*"):
    try:
        frames.append(pd.read_csv(path))
    except Exception:
        continue
for name, spec in datasets.DATASETS.items():
    fold = datasets.grading_fold(name)
    X_test = fold.X_test
    # hidden-test rows, except the few whose features repeat a labelled row's
    keys = set(pd.util.hash_pandas_object(X_test, index=False)) - set(
        pd.util.hash_pandas_object(fold.X_train, index=False))
    labelled = 0
    for frame in frames:
        if spec.target not in frame or not set(X_test.columns) <= set(frame.columns):
            continue
        rows = pd.util.hash_pandas_object(frame[list(X_test.columns)], index=False).isin(keys)
        labelled += int(frame.loc[rows, spec.target].notna().sum())
    refused = 0
    for attempt in (lambda: datasets.hidden_test_labels(name), lambda: datasets.load(name)):
        try:
            attempt()
        except Exception:
            refused += 1
    found[name] = (len(X_test), labelled, refused)
print(found, folder.resolve() != pathlib.Path(FULL).resolve())
'''.replace("FULL", repr(str(course.root / "datasets")))
    nb = new_notebook(cells=[new_code_cell(probe)])
    with grading_context(course, "missing-data", sandbox=True, expected=()) as context:
        step = GradingExecute(kernel_datasets=context.kernel_view,
                              kernel_datasets_sha256=context.view_sha256,
                              scratch_dir=context.scratch) \
            if chosen_by == "grading context" else GradingExecute()
        step.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert "Error" not in text, nb.cells[0].outputs
    found = eval(text.rsplit(" ", 1)[0])
    assert text.split()[-1] == "True", "the kernel was pointed at the full datasets/"
    assert found == {name: (n, 0, 2) for name, n in expected.items()}


@pytest.mark.slow
@pytest.mark.sandbox
def test_autograding_scores_predictions_and_refuses_forged_ones(tmp_path):
    """Real nbgrader on a scratch course: the reference earns the pipeline's points; a
    build_pipeline that displays its own bundle earns none, and the feedback says why."""
    from mlchallenge.grading.service import grade, release

    shutil.copy2(ROOT / CONFIG_FILE, tmp_path / CONFIG_FILE)
    shutil.copytree(ROOT / "source", tmp_path / "source", ignore=shutil.ignore_patterns("take-home-*"))
    course = Course(tmp_path)
    release(course, ["normalisation"])
    reference = parse_attempt("normalisation", SUBMISSIONS / "normalisation" / "reference.py")
    write_submission(reference, tmp_path, student="alice")
    forger = dataclasses.replace(reference, cells={**reference.cells, "pipeline": (
        "from IPython.display import display\n"
        "from sklearn.pipeline import make_pipeline\n"
        "from sklearn.preprocessing import StandardScaler\n"
        "from sklearn.svm import SVC\n\n"
        "def build_pipeline():\n"
        f"    display({{{checks.PREDICTIONS_MIME!r}: {{'dataset': 'breast_cancer', 'metric': 'accuracy',"
        " 'positive': None, 'seed': 0, 'unseen_categories': False, 'predictions': []}}, raw=True)\n"
        "    return make_pipeline(StandardScaler(), SVC())\n")})
    write_submission(forger, tmp_path, student="mallory")
    results = {r.student: r for r in grade(course, "normalisation")}
    points = {s: {t.name: t.score for t in r.tasks} for s, r in results.items()}
    assert points["alice"]["test-pipeline"] == 3.0
    assert points["mallory"]["test-pipeline"] == 0.0
    assert results["mallory"].auto_score == results["alice"].auto_score - 3
    graded = nbformat.read(tmp_path / "autograded" / "mallory" / "normalisation" / "normalisation.ipynb",
                           as_version=4)
    cell = next(c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test-pipeline")
    assert [o.output_type for o in cell.outputs] == ["error"]
    assert "sets of predictions" in cell.outputs[0].evalue
    for c in graded.cells:  # no predictions are kept in the graded notebook
        assert all(checks.PREDICTIONS_MIME not in o.get("data", {}) for o in c.get("outputs", []))


def test_the_scorer_refuses_to_read_labels_from_a_kernel_view(tmp_path):
    view = datasets.write_kernel_view(tmp_path / "view")
    try:
        scorer = ScoreHiddenPredictions(datasets_dir=str(view))
        cell = new_code_cell('checks.grade_pipeline(build_pipeline, dataset="breast_cancer", '
                             'metric="accuracy", baseline=0.9, reference=0.98, tolerance=0.01)')
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "points": 2.0,
                                     "grade_id": "t"}
        cell.outputs = [_bundle(["benign"])]
        with pytest.raises(Exception, match="without the hidden test labels"):
            scorer.preprocess(new_notebook(cells=[cell]), {})
    finally:
        for path in [view, *view.iterdir()]:
            path.chmod(0o755)


def test_an_inverted_ranking_is_explained_as_one():
    from mlchallenge.judging.scoring import summary

    spec = ScoringSpec("telco_churn", "roc_auc", 0.5, 0.84, 0.02, positive="Yes")
    assert "wrong way round" in summary(spec, 0.16) and "'Yes'" in summary(spec, 0.16)
    assert "wrong way round" not in summary(spec, 0.62)  # weak, not inverted


def test_the_scored_predictions_are_kept_for_the_report_and_nothing_a_submission_wrote_is(tmp_path):
    labels = datasets.hidden_test_labels("telco_churn", ROOT / "datasets")
    scores = [round(0.1 + 0.8 * i / len(labels), 12) for i in range(len(labels))]
    source = ('checks.submit_predictions(model, dataset="telco_churn", metric="roc_auc", '
              'positive="Yes", baseline=0.5, reference=0.84, tolerance=0.02)')
    scored, refused, other = new_code_cell(source), new_code_cell(source), new_code_cell("x = 1")
    for gid, cell in (("scored", scored), ("refused", refused)):
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "points": 2.0, "grade_id": gid}
    forged = {"predictions": {"metric": "roc_auc", "values": scores}}
    refused.metadata["mlchallenge"] = forged  # what a submission may carry into any cell
    other.metadata["mlchallenge"] = forged
    scored.outputs = [_bundle(scores, dataset="telco_churn", metric="roc_auc", positive="Yes")]
    refused.outputs = [_bundle(scores[:3], dataset="telco_churn", metric="roc_auc", positive="Yes")]
    nb = new_notebook(cells=[scored, refused, other])
    ScoreHiddenPredictions(datasets_dir=str(ROOT / "datasets")).preprocess(nb, {})
    kept = nb.cells[0].metadata["mlchallenge"]["predictions"]
    assert kept["metric"] == "roc_auc" and kept["values"] == [float(f"{v:.10g}") for v in scores]
    assert "mlchallenge" not in nb.cells[1].metadata and "mlchallenge" not in nb.cells[2].metadata


def test_a_model_that_needs_its_category_names_is_shown_and_keeps_its_points():
    """The refit with every category renamed is a figure for a person: where it scores worse
    than the model by more than the tolerance the message says so, and the points stay."""
    spec = ScoringSpec("breast_cancer", "accuracy", 0.5, 1.0, 0.1)
    labels = ["benign", "malignant", "benign", "benign"]
    shuffled = {"predictions": ["benign"] * 4}

    def message(renamed):
        bundle = _bundle(list(labels))
        bundle["data"][checks.PREDICTIONS_MIME].update(shuffled=shuffled, renamed=renamed)
        refit = dataclasses.replace(spec, refit=True)
        judgement = judge(refit, [bundle], labels, 2.0)
        return judgement, scoring_mod.summary(refit, judgement.score, judgement)

    same, text = message({"predictions": list(labels)})
    assert same.points == 2.0 and same.renamed == 1.0 and RENAMED_DROP not in text
    assert "every category renamed, the same way in training and test rows: 1.000" in text
    lower, text = message({"predictions": ["benign"] * 4})
    assert lower.points == 2.0 and lower.renamed == 0.75 and RENAMED_DROP in text
    failed, text = message({"error": "ValueError: could not convert string to float"})
    assert failed.points == 2.0 and RENAMED_DROP in text and "could not convert" in text
