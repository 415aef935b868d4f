"""Each challenge is proved by its catalogued attempts, graded by real nbgrader autograding."""

from __future__ import annotations

from itertools import combinations

import pytest
from conftest import ROOT, SUBMISSIONS

from mlchallenge.core.course import Course
from mlchallenge.interviewer import similarity
from mlchallenge.interviewer.attempts import catalogue
from mlchallenge.interviewer.bank import load_challenge
from mlchallenge.interviewer.pages import task_map
from mlchallenge.preprocessors.score import HELD_NOTE

# hostile/ is the grader's attack corpus (tests/test_hostile.py), not a challenge's catalogue
ASSIGNMENTS = sorted(p.name for p in SUBMISSIONS.iterdir() if p.is_dir() and p.name != "hostile")
ATTEMPTS = [a for name in ASSIGNMENTS for a in catalogue(SUBMISSIONS, name)]


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda a: f"{a.assignment}/{a.name}")
def test_attempt_scores_as_catalogued(attempt, demo_rows):
    row = demo_rows[(attempt.assignment, attempt.name)]
    assert row.result.graded, f"not graded: {row.result.error}"
    assert attempt.expects(row.result.auto_score), (
        f"{attempt.name} scored {row.result.auto_score}, catalogued {attempt.expected_text}"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_catalogue_covers_the_authoring_rules(assignment, course):
    kinds = [a.kind for a in catalogue(SUBMISSIONS, assignment)]
    assert kinds.count("reference") == 1 and kinds.count("blank") == 1
    assert kinds.count("alternative") >= 2
    assert kinds.count("mistake") >= 5
    assert kinds.count("trick") >= 2
    assert set(kinds) <= {"reference", "blank", "alternative", "mistake", "trick"}
    challenge = load_challenge(course, assignment)
    by_kind = {a.kind: a for a in catalogue(SUBMISSIONS, assignment)}
    assert by_kind["reference"].expect_low == challenge.auto_points, "reference: full marks"
    assert by_kind["blank"].expect_high == 0, "blank: zero"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_full_blank_zero_mistakes_lose_alternatives_full(assignment, demo_rows, course):
    full = load_challenge(course, assignment).auto_points
    rows = [row for (a, _), row in demo_rows.items() if a == assignment]
    for row in rows:
        score, kind = row.result.auto_score, row.attempt.kind
        if kind == "reference":
            assert score == full
        elif kind == "blank":
            assert score == 0
        elif kind == "alternative":
            assert score >= full - 0.5, f"{row.attempt.name}: a sound alternative lost points"
        elif kind == "trick" and {"similarity", "renamed"} & row.attempt.flags:
            # a disguised copy of sound work earns what that work earns: the report's
            # similarity is what catches it (tests/test_judging.py holds it to that flag); a
            # model that needs its category names scores as sound work does, and the report
            # shows its refit with renamed categories and asks (checked below)
            continue
        else:
            assert score < full, f"{row.attempt.name}: a {kind} did not lose points"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_test_cell_tells_some_mistake_apart(assignment, demo_rows):
    """A test cell that every non-blank attempt passes measures nothing."""
    rows = [row for (a, _), row in demo_rows.items()
            if a == assignment and row.attempt.kind in ("mistake", "trick")]
    cells = {t.name for t in rows[0].result.tasks if t.autograded}
    caught = {t.name for row in rows for t in row.result.tasks
              if t.autograded and (t.score or 0) < t.max_score}
    assert cells - caught == set(), f"test cells no mistake fails: {sorted(cells - caught)}"



def test_a_model_is_held_for_review_exactly_where_the_catalogue_says(demo_rows):
    """The refit on shuffled labels and the ceiling hold a model task's points for a person's
    review. A hold is an accusation: every attempt that declares ``# flag: held`` (a lookup of
    the public data) is held, and no other is, sound alternatives, mistakes and the other
    tricks among them."""
    for (assignment, name), row in sorted(demo_rows.items()):
        held = [note for note in row.result.notes if HELD_NOTE in note]
        assert bool(held) == ("held" in row.attempt.flags), f"{assignment}/{name}: {held}"


def test_every_model_task_shows_its_score_on_shuffled_labels(demo_rows, demo_workdir):
    """Beside each model task the grader refits, the autograded notebook (and the report, which
    shows its message) gives the score of the refit on shuffled labels."""
    import nbformat

    from mlchallenge.core import cells as nbcells
    from mlchallenge.judging.scoring import scoring_spec

    shown = 0
    for assignment in ASSIGNMENTS:
        for path in (demo_workdir / assignment / "autograded" / "reference" / assignment).glob("*.ipynb"):
            for cell in nbformat.read(path, as_version=4).cells:
                spec = scoring_spec(cell.source) if nbcells.is_graded(cell) else None
                if spec is None or not spec.refit:
                    continue
                printed = "".join(o.get("text", "") for o in cell.outputs)
                assert "refitted on the same rows with the labels shuffled:" in printed, path
                shown += 1
    assert shown == 8, "the eight model tasks the grader refits"


def test_same_predictions_group_disguised_copies_and_never_two_independent_sound_attempts(
        demo_rows, demo_workdir):
    """Behaviour similarity over the catalogue: no two sound attempts that each wrote a model
    task's solution cell predict the same on every hidden row (the reference wrote them all; an
    alternative that left the cell as the reference's shares its code there), and the disguised
    copies of missing-data, which keep or copy the reference's pipeline, predict what it does."""
    groups = {}
    for assignment in ASSIGNMENTS:
        attempts = {row.attempt.name: row.attempt for (a, _), row in demo_rows.items() if a == assignment}
        task_of = task_map(Course(ROOT), [assignment])
        found = similarity.same_predictions(Course(demo_workdir / assignment), assignment, sorted(attempts))
        for group in found:
            task = task_of[(assignment, group.cell)]
            wrote = [c for c in group.candidates if attempts[c].kind == "reference"
                     or (attempts[c].kind == "alternative" and task in attempts[c].cells)]
            assert len(wrote) <= 1, f"{assignment}/{group.cell}: {wrote} predict the same"
            for first, second in combinations(group.candidates, 2):
                groups[(assignment, first, second)] = group.cell
    assert groups[("missing-data", "reference", "trick-copy-reference-disguised")] == "test-pipeline"
    assert groups[("missing-data", "reference", "trick-copy-alternative-disguised")] == "test-pipeline"


def _report_tasks(demo_workdir, assignment: str) -> dict[str, dict]:
    from mlchallenge.interviewer import reports

    return {r.candidate: {t.grade_id: t for t in r.tasks}
            for r in reports.gather(Course(demo_workdir / assignment))}


def test_leakage_is_flagged_exactly_where_the_catalogue_says(demo_rows, demo_workdir):
    """A leakage flag accuses: every attempt that declares ``# flag: leakage`` (its answer is a
    leak's) is flagged, and no other is: not a sound alternative, and not a mistake that fails a
    task about leakage another way (scores in another order, a mean for a median, a crash)."""
    flagged = 0
    for assignment in ASSIGNMENTS:
        attempts = {row.attempt.name: row.attempt for (a, _), row in demo_rows.items() if a == assignment}
        for candidate, tasks in _report_tasks(demo_workdir, assignment).items():
            leaks = [t.grade_id for t in tasks.values() if t.leakage]
            assert bool(leaks) == ("leakage" in attempts[candidate].flags), (assignment, candidate, leaks)
            flagged += bool(leaks)
    assert flagged >= 12


def test_a_model_that_needs_its_category_names_is_asked_about_exactly_where_the_catalogue_says(
        demo_rows, demo_workdir):
    """The refit with every category renamed is a figure for a person, never points: where it
    scores clearly lower the report asks where the names came from. Every attempt that declares
    ``# flag: renamed`` (target statistics frozen outside the pipeline) is asked, and no other
    is: not a sound alternative that names categories from the data dictionary, not a mistake."""
    from mlchallenge.judging.learning import RENAMED_DROP, RENAMED_QUESTION

    asked = 0
    for assignment in ASSIGNMENTS:
        attempts = {row.attempt.name: row.attempt for (a, _), row in demo_rows.items() if a == assignment}
        for candidate, tasks in _report_tasks(demo_workdir, assignment).items():
            named = [t for t in tasks.values() if RENAMED_DROP in t.message]
            assert bool(named) == ("renamed" in attempts[candidate].flags), (assignment, candidate)
            for task in named:
                assert task.follow_up and task.score == task.max_score, (assignment, candidate)
                assert task.follow_up == RENAMED_QUESTION or task.borderline
            asked += bool(named)
    assert asked >= 1


def test_follow_up_questions_are_chosen_for_the_way_a_task_failed(demo_rows, demo_workdir):
    """The manifest's [[follow_up_when]] question where the message says how the task failed;
    the task's own question otherwise."""
    challenge = load_challenge(Course(ROOT), "model-selection")
    selection = _report_tasks(demo_workdir, "model-selection")
    order = selection["mistake-cv-scores-sorted"]["test-cv-clean"]
    assert "another order" in order.message
    assert order.follow_up == challenge.follow_up_for("test-cv-clean", "in another order")
    assert order.follow_up != challenge.follow_up["test-cv-clean"]
    leak = selection["mistake-cv-scale-before-split"]["test-cv-clean"]
    assert leak.follow_up == challenge.follow_up["test-cv-clean"]
    churn = _report_tasks(demo_workdir, "take-home-churn")
    inverted = churn["mistake-pipeline-swapped-proba"]["test-pipeline"]
    assert "wrong way round" in inverted.message and "wrong way round" in inverted.follow_up
