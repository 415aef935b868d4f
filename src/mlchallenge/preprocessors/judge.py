"""``JudgeHiddenTests``: the nbgrader preprocessor that writes each hidden test's verdict.

Listed in the course's ``Autograde.autograde_preprocessors`` right after the kit's execute
step, so plain ``nbgrader autograde`` and ``mlchallenge grade`` judge alike.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from traitlets import Bool, Unicode

from mlchallenge.core import cells as nbcells
from mlchallenge.core.text_table import printable
from mlchallenge.judging.gate import tampering
from mlchallenge.judging.rules import breaches, rules_from_manifest
from mlchallenge.judging.scoring import scoring_spec
from mlchallenge.judging.verdicts import (
    JUDGES_FILE,
    SpecError,
    hidden_part,
    load_judges,
    verdict,
    verdict_outputs,
)
from mlchallenge.preprocessors.execute import file_notes, notes_key
from mlchallenge.preprocessors.score import HELD

RULE = "TaskRule"  # the error name of a test cell that lost its points to a task's rule


def is_test_cell(cell) -> bool:
    meta = nbcells.nbgrader(cell)
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
    hold_flagged = Bool(
        True, help="Hold every autograded point of a notebook the integrity gate flags (its code "
                   "reaches into the grader's machinery) at 0 until an interviewer reviews it and "
                   "sets the scores in the formgrader. False: grade it and only report the flag."
    ).tag(config=True)
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
        self._judge_cells(nb, judges, assignment)
        notes = self._apply_rules(nb, path.parent)
        notes += self._gate(nb)
        if notes:
            file_notes(resources, notes)
            for note in notes:
                self.log.warning("%s: %s", printable(notes_key(resources)), printable(note))
        return nb, resources

    def _judge_cells(self, nb, judges, assignment: str) -> None:
        for cell in nb.cells:
            if not is_test_cell(cell):
                continue
            grade_id = nbcells.grade_id(cell)
            points = nbcells.points(cell)
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
            assert grade_id is not None  # the judges are found by str: a cell without one has none
            result = verdict(grade_id, judge_fn, hidden, list(cell.get("outputs", [])))
            cell.outputs = verdict_outputs(result, points, cell.get("execution_count"), hidden)

    def _apply_rules(self, nb, source: Path) -> list[str]:
        """Test cells of a task whose rule the solution breaks lose their points."""
        manifest_path = source / "manifest.toml"
        if not manifest_path.is_file():
            return []
        with open(manifest_path, "rb") as handle:
            rules = rules_from_manifest(tomllib.load(handle))
        found = breaches(nb, rules)
        by_test: dict[str, list] = {}
        for breach in found:
            for test in breach.rule.tests:
                by_test.setdefault(test, []).append(breach)
        for cell in nb.cells:
            grade_id = nbcells.grade_id(cell)
            if is_test_cell(cell) and grade_id in by_test:
                text = "; ".join(dict.fromkeys(str(b) for b in by_test[grade_id]))
                cell.outputs = [new_output("error", ename=RULE, evalue=text,
                                           traceback=[f"{RULE}: {text}"])]
        return [f"task rule broken: {b}" for b in found]

    def _gate(self, nb) -> list[str]:
        """Flag (and by default hold) a notebook whose code reaches into the grader's machinery."""
        findings = tampering(nb)
        if not findings:
            return []
        lines = "; ".join(str(f) for f in findings[:5]) + (
            f"; and {len(findings) - 5} more" if len(findings) > 5 else "")
        if self.hold_flagged:
            text = ("points held for review: the notebook reaches into the grader's machinery ("
                    f"{lines}). An interviewer reads it and sets the scores in the formgrader")
            for cell in nb.cells:
                if is_test_cell(cell):
                    cell.outputs = [new_output("error", ename=HELD, evalue=text,
                                               traceback=[f"{HELD}: {text}"])]
        return [f"tampering flagged: {f}" for f in findings]
