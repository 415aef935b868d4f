"""Scoring hidden-test predictions in the grading process, where the labels are.

A hidden test cell that grades a model ends with one literal call of
``checks.grade_pipeline`` or ``checks.submit_predictions``. In the grading
kernel that call emits the model's predictions for the hidden-test rows (an
output of type ``checks.PREDICTIONS_MIME``); the kernel never holds the labels.
``ScoreHiddenPredictions`` runs next, in the grading process: for each graded
cell it reads the scoring spec from the cell's source (nbgrader's OverwriteCells
has already restored the source of locked cells from the gradebook, so the spec
is the instructor's, never the candidate's), loads the hidden-test labels from
the full dataset files, scores the one bundle the cell emitted (how, and for how many
points: ``mlchallenge.judging.scoring``) and replaces the
cell's outputs with the points (a float ``execute_result``, nbgrader's partial
credit) or, when the predictions cannot be scored, with an error saying why
(0 points). Only the predictions are taken from the kernel: what they are
scored against and how is decided here.
"""

from __future__ import annotations

from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from traitlets import Bool, Unicode

from mlchallenge.core import cells as nbcells
from mlchallenge.core import dataset_specs
from mlchallenge.core.errors import KitError
from mlchallenge.core.text_table import printable
from mlchallenge.judging.scoring import Refused, judge, scoring_spec, summary
from mlchallenge.kernel.outputs import PREDICTIONS_MIME
from mlchallenge.preprocessors.execute import file_notes

HELD = "PointsHeld"  # the error name of a test cell whose points are held for review
HELD_NOTE = "model held for review:"  # what grading noticed, in the journal and the report


def is_bundle(output) -> bool:
    return (output.get("output_type") in ("display_data", "execute_result")
            and PREDICTIONS_MIME in output.get("data", {}))


def _kept(bundle) -> list:
    """The scored predictions as stored in the autograded notebook: numbers to 10 significant
    digits (the same model gives the same figures; float noise does not count), labels as
    they are."""
    values = bundle["data"][PREDICTIONS_MIME]["predictions"]
    return [float(f"{v:.10g}") if type(v) is float else v for v in values]


def _error(message: str) -> dict:
    return new_output("error", ename="AssertionError", evalue=message,
                      traceback=[f"AssertionError: {message}"])


def _is_test_cell(cell) -> bool:
    meta = nbcells.nbgrader(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


class ScoreHiddenPredictions(Preprocessor):
    """After GradingExecute: score each graded cell's predictions on the hidden-test labels
    and write the cell's points; strip prediction outputs from every cell."""

    enabled = Bool(True, help="nbconvert runs a preprocessor only when it is enabled").tag(config=True)
    datasets_dir = Unicode(
        "", help="Folder with the full dataset files (default: the course's datasets/ when it "
                 "has one, else the folder the kit's grading commands read from)"
    ).tag(config=True)

    def _host_folder(self) -> Path:
        if self.datasets_dir:
            folder = Path(self.datasets_dir)
        else:
            root = Path(self.config.CourseDirectory.get("root", ".") or ".")
            own = root / "datasets"
            folder = own if own.is_dir() else dataset_specs.datasets_dir()
        if dataset_specs.is_kernel_view(folder):
            raise KitError(
                f"{folder} is a grading kernel's view without the hidden test labels; the "
                "grading process needs the full dataset files (set ScoreHiddenPredictions."
                "datasets_dir or grade from the course root)"
            )
        return folder

    def preprocess(self, nb, resources):
        labels: dict[str, object] = {}
        folder: Path | None = None
        held: list[str] = []
        for cell in nb.cells:
            # only this preprocessor writes it: whatever a submission put there is dropped
            cell.get("metadata", {}).pop("mlchallenge", None)
            if cell.get("cell_type") != "code":
                continue
            bundles = [o for o in cell.outputs if is_bundle(o)]
            others = [o for o in cell.outputs if not is_bundle(o)]
            spec = scoring_spec(cell.source) if _is_test_cell(cell) else None
            failed = any(o.get("output_type") == "error"
                         or (o.get("output_type") == "stream" and o.get("name") == "stderr")
                         for o in others)
            if spec is None or failed:
                cell.outputs = others  # the kernel's own error stands (0 points)
                continue
            if folder is None:
                folder = self._host_folder()
            if spec.dataset not in labels:
                # pandas and scikit-learn split the dataset: loaded once a model task is scored
                from mlchallenge.kernel import datasets

                labels[spec.dataset] = datasets.hidden_test_labels(spec.dataset, folder)
            points = nbcells.points(cell)
            try:
                judgement = judge(spec, bundles, labels[spec.dataset], points)
            except Refused as exc:
                self.log.info("hidden predictions refused: %s", printable(exc))
                cell.outputs = [_error(f"{exc}; no points for this test")]
                continue
            # what the model predicted, kept for the report's behaviour similarity (two
            # candidates whose models predict the same on every hidden row); no label is here
            kept: dict = {"predictions": {"metric": spec.metric, "values": _kept(bundles[0])},
                          "score": judgement.score}
            if spec.refit:
                kept["shuffled_score"] = judgement.shuffled
            cell.metadata["mlchallenge"] = kept
            shown = new_output("stream", name="stdout", text=summary(spec, judgement.score, judgement))
            if judgement.held:
                text = (f"{judgement.held}. Its points are held until an interviewer reviews the "
                        "model and sets the score in the formgrader")
                cell.outputs = [shown, new_output("error", ename=HELD, evalue=text,
                                                    traceback=[f"{HELD}: {text}"])]
                held.append(f"{HELD_NOTE} {nbcells.grade_id(cell)}: {judgement.held}")
                continue
            cell.outputs = [
                shown,
                new_output("execute_result", data={"text/plain": repr(judgement.points)},
                           execution_count=cell.get("execution_count")),
            ]
        if held:
            file_notes(resources, held)
            for note in held:
                self.log.warning("%s", printable(note))
        return nb, resources
