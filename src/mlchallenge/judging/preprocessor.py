"""``JudgeHiddenTests``: the nbgrader preprocessor that writes each hidden test's verdict.

Listed in the course's ``Autograde.autograde_preprocessors`` right after the kit's execute
step, so plain ``nbgrader autograde`` and ``mlchallenge grade`` judge alike.
"""

from __future__ import annotations

from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from traitlets import Bool, Unicode

from ..scoring import scoring_spec
from .verdicts import JUDGES_FILE, SpecError, hidden_part, load_judges, verdict, verdict_outputs


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def source_folder(config, assignment: str, override: str = "") -> Path:
    """The instructor's source/<assignment>/ of the course being graded."""
    if override:
        return Path(override)
    coursedir = CourseDirectory(config=config)
    return Path(coursedir.format_path(coursedir.source_directory, ".", assignment))


class JudgeHiddenTests(Preprocessor):
    """After the kit's execute step: judge each hidden test from what its kernel emitted
    (see ``mlchallenge.judging.verdicts``) and write the cell's points."""

    enabled = Bool(True, help="nbconvert runs a preprocessor only when it is enabled").tag(config=True)
    source_dir = Unicode(
        "", help="The assignment's source folder, where judges.py lives (default: the course's "
                 "source/<assignment>/)"
    ).tag(config=True)

    def preprocess(self, nb, resources):
        assignment = (resources.get("nbgrader") or {}).get("assignment")
        if not assignment:
            return nb, resources
        path = source_folder(self.config, assignment, self.source_dir) / JUDGES_FILE
        if not path.is_file():
            raise SpecError(
                f"{assignment} has no {JUDGES_FILE} beside its source notebook: its hidden tests "
                "cannot be judged (every assignment's hidden tests are judged in the grading process)"
            )
        judges = load_judges(path)
        for cell in nb.cells:
            if not is_test_cell(cell):
                continue
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            points = float(cell.metadata["nbgrader"]["points"])
            if scoring_spec(cell.source) is not None:
                continue  # a model refit: ScoreHiddenPredictions scores its predictions
            hidden = hidden_part(cell.source)
            judge_fn = judges.get(grade_id)
            if hidden is None or judge_fn is None:
                self.log.error("%s: test cell %s has no hidden test and judge", assignment, grade_id)
                cell.outputs = [new_output(
                    "error", ename="NotJudged",
                    evalue="this test has no judge in the grading process; no points (a course error)",
                    traceback=["NotJudged: this test has no judge in the grading process"])]
                continue
            result = verdict(grade_id, judge_fn, hidden, list(cell.get("outputs", [])))
            cell.outputs = verdict_outputs(result, points, cell.get("execution_count"))
        return nb, resources
