"""`mlchallenge report`: one HTML page per candidate, a cohort page, a cohort CSV.

Everything is read, nothing is graded here: the scores come from nbgrader's gradebook (manual
scores set in the formgrader included), each test cell's message from the autograded notebook's
outputs, what grading noticed from the grading journal (``autograded/.mlchallenge/``), the hints
a candidate opened from ``submitted/<candidate>/<assignment>/hints_used.json``, and the skills
and follow-up questions from the manifests.

Skills: a graded cell's points count for the skills listed for it in the manifest's
``[skills_by_task]`` table, split evenly between them; a cell not listed there counts for every
skill of its challenge, split evenly. Manually graded cells still waiting for a person count
for no skill until they are graded.

Modes: ``interview`` (for the interviewer; the default) shows each failed test's message, never
its traceback, so the hidden tests' source stays out of the page; ``practice`` (feedback for a
candidate grading themselves on a clone, which holds the tests anyway) adds the tracebacks.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from mlchallenge.core import cells as nbcells
from mlchallenge.core import timing
from mlchallenge.core.course import Course, quiet_gradebook_warnings
from mlchallenge.core.errors import KitError
from mlchallenge.grading.journal import Journal
from mlchallenge.interviewer import bank, similarity
from mlchallenge.interviewer.notebooks import NotebookLayout, clean, follow_up, outputs_text, read_layout
from mlchallenge.judging.learning import RENAMED_DROP, RENAMED_QUESTION
from mlchallenge.preprocessors.score import HELD

MODES = ("interview", "practice")

# Words with which the challenges' checks say that information crossed from held-out rows into
# fitting: a failed test cell whose message matches is flagged as leakage.
LEAKAGE_PATTERN = re.compile(
    r"leak|before the split|from the test (set|rows)|statistics from the other folds"
    r"|its own (price|target|label)",
    re.IGNORECASE,
)


@dataclass
class Task:
    """One graded cell of one submission, as the report shows it."""

    assignment: str
    grade_id: str
    kind: str  # "auto" (a test cell) or "manual" (an answer a person grades)
    score: float | None  # None: waiting for manual grading
    max_score: float
    skills: list[str]
    message: str = ""
    traceback: str = ""
    question: str = ""  # manual cells: the task text above the answer
    answer: str = ""  # manual cells: what the candidate wrote
    comment: str = ""  # the grader's comment in the formgrader
    leakage: bool = False
    follow_up: str = ""
    hints: list[int] = field(default_factory=list)  # tiers of the hints opened for this task
    attempted: bool = True  # False: the solution cell above the test still holds the stub

    @property
    def status(self) -> str:
        if self.score is None:
            return "waiting for manual grading"
        if self.kind == "auto" and self.score <= 1e-9 and self.message.startswith(HELD_PREFIX):
            return "held for review"
        if not self.attempted and self.score <= 1e-9:
            return "not attempted"
        if self.score >= self.max_score - 1e-9:
            return "passed" if self.kind == "auto" else "full marks"
        if self.score <= 1e-9:
            return "failed" if self.kind == "auto" else "no marks"
        return "partial"

    @property
    def borderline(self) -> bool:
        """Failed or only partly right: worth a question in the live interview."""
        return self.score is not None and self.score < self.max_score - 1e-9


@dataclass
class AssignmentResult:
    name: str
    title: str
    score: float
    max_score: float
    tasks: list[Task]
    reasons: list[str]  # what grading noticed (kernel death, renamed notebook, ...)
    error: str | None  # why the submission could not be graded
    hints_used: list[dict]
    hints_problem: str | None = None
    time: timing.TimeTaken | None = None
    similar: list[similarity.Match] = field(default_factory=list)  # at or above the threshold
    # groups of candidates (this one among them) whose models predicted the same on every row
    same_predictions: list[similarity.SamePredictions] = field(default_factory=list)

    @property
    def pending(self) -> list[Task]:
        return [t for t in self.tasks if t.score is None]

    @property
    def graded_max(self) -> float:
        return sum(t.max_score for t in self.tasks if t.score is not None)


@dataclass
class CandidateReport:
    candidate: str
    assignments: list[AssignmentResult]

    @property
    def tasks(self) -> list[Task]:
        return [t for a in self.assignments for t in a.tasks]

    @property
    def score(self) -> float:
        return sum(t.score or 0.0 for t in self.tasks)

    @property
    def max_score(self) -> float:
        """Points of every cell graded so far (cells waiting for a person excluded)."""
        return sum(t.max_score for t in self.tasks if t.score is not None)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    @property
    def pending_points(self) -> float:
        return sum(t.max_score for t in self.tasks if t.score is None)

    def skills(self) -> dict[str, tuple[float, float]]:
        """skill -> (points, max points), over the cells graded so far."""
        totals: dict[str, list[float]] = {}
        for task in self.tasks:
            if task.score is None:
                continue
            share = 1.0 / len(task.skills)
            for skill in task.skills:
                points = totals.setdefault(skill, [0.0, 0.0])
                points[0] += task.score * share
                points[1] += task.max_score * share
        return {skill: (p, m) for skill, (p, m) in totals.items()}

    @property
    def similar(self) -> list[similarity.Match]:
        return sorted((m for a in self.assignments for m in a.similar), key=lambda m: -m.percent)

    @property
    def same_predictions(self) -> list[similarity.SamePredictions]:
        return [g for a in self.assignments for g in a.same_predictions]

    @property
    def over_time(self) -> list[AssignmentResult]:
        """Assignments the candidate's own records put over the time limit."""
        return [a for a in self.assignments if a.time is not None and a.time.over]

    @property
    def leakage(self) -> list[Task]:
        return [t for t in self.tasks if t.leakage]

    @property
    def review_flags(self) -> list[tuple[str, str]]:
        """(assignment, what the grading process flagged): code that reaches into the grader's
        machinery (its points held until a person reviews it), broken task rules, and models
        held for review (they did not learn from their labels, or score beyond what sound
        solutions reach)."""
        return [(a.name, r) for a in self.assignments for r in a.reasons
                if any(marker in r for marker in REVIEW_MARKERS)]

    @property
    def follow_ups(self) -> list[tuple[Task, str]]:
        seen: set[str] = set()
        questions = []
        for task in self.tasks:
            if task.follow_up and task.borderline and task.follow_up not in seen:
                seen.add(task.follow_up)
                questions.append((task, task.follow_up))
        return questions


# ---- reading the course -----------------------------------------------------------------

# what the grading process's integrity gate, task rules and model scoring (a model that did not
# learn from its labels, or scores beyond what sound solutions reach) write into "what grading
# noticed"
REVIEW_MARKERS = ("tampering flagged:", "task rule broken:", "model held for review:")
HELD_PREFIX = f"{HELD}: "  # how a held task's message starts


def _is_leakage(message: str) -> bool:
    """A leakage flag accuses: it is raised where the task's message says that data leaked,
    never for another failure of a task about leakage (scores in the wrong order, a crash)."""
    return bool(LEAKAGE_PATTERN.search(message))


def _hints_used(folder: Path) -> tuple[list[dict], str | None]:
    path = folder / "hints_used.json"
    if not path.is_file():
        return [], None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        used = data.get("used", [])
        if not isinstance(used, list):
            raise ValueError("'used' is not a list")
        return [u for u in used if isinstance(u, dict)], None
    except (ValueError, AttributeError, OSError) as exc:
        return [], f"hints_used.json could not be read ({exc})"


def _assignment_result(course: Course, gradebook: Gradebook, challenge: bank.Challenge,
                       journal: Journal, student: str, mode: str) -> AssignmentResult:
    submission = gradebook.find_submission(challenge.name, student)
    entry = journal.entries.get(student, {})
    hints, hints_problem = _hints_used(course.root / "submitted" / student / challenge.name)
    # tiers as hints_used.json holds them (only ints are kept below); looked up with a cell's
    # group too, None for a cell in none
    hint_tiers: dict[str | None, list[object]] = {}
    for used in hints:
        hint_tiers.setdefault(str(used.get("task", "")), []).append(used.get("tier"))
    tasks: list[Task] = []
    for notebook in submission.notebooks:
        source = course.root / "source" / challenge.name / f"{notebook.name}.ipynb"
        layout = read_layout(source) if source.is_file() else NotebookLayout([], {}, {})
        graded_path = course.root / "autograded" / student / challenge.name / f"{notebook.name}.ipynb"
        cells = {}
        # a submission that could not be graded has no outputs of its own (an autograded
        # notebook left from an earlier run is not its)
        if graded_path.is_file() and not entry.get("error"):
            try:
                graded = nbformat.read(graded_path, as_version=4)
                cells = {nbcells.grade_id(c): c for c in graded.cells}
            except Exception:  # noqa: BLE001 - an unreadable notebook leaves the messages out
                cells = {}
        comments = {c.name: (c.manual_comment or c.auto_comment or "") for c in notebook.comments}
        position = {name: i for i, name in enumerate(layout.order)}
        for grade in sorted(notebook.grades, key=lambda g: (position.get(g.name, len(position)), g.name)):
            kind = "auto" if grade.cell.cell_type == "code" else "manual"
            if kind == "manual" and grade.manual_score is None and grade.needs_manual_grade:
                score = None
            else:
                score = float(grade.score)
            task = Task(assignment=challenge.name, grade_id=grade.name, kind=kind, score=score,
                        max_score=float(grade.max_score),
                        skills=challenge.task_skills(grade.name),
                        comment=comments.get(grade.name, ""))
            cell = cells.get(grade.name)
            if kind == "auto" and cell is not None:
                task.message, traceback = outputs_text(cell)
                task.traceback = traceback if mode == "practice" else ""
            if kind == "manual":
                task.question = clean(layout.question.get(grade.name, ""), 2000)
                task.answer = clean(cell.source, 4000) if cell is not None else ""
            group = layout.group.get(grade.name)
            solution = cells.get(group) if kind == "auto" else None
            task.attempted = solution is None or not nbcells.not_attempted(solution.source)
            if task.borderline and not task.message.startswith(HELD_PREFIX):
                task.follow_up = follow_up(challenge, layout, grade.name, task.message)
                # only what a test really reported: not an untouched stub, not a notebook
                # that could not be graded
                task.leakage = (kind == "auto" and cell is not None and task.attempted
                                and _is_leakage(task.message))
            if RENAMED_DROP in task.message and not task.follow_up:
                # full points or not, a model that needs its category names is worth a question
                task.follow_up = RENAMED_QUESTION
            task.hints = sorted(t for t in hint_tiers.get(grade.name, []) + hint_tiers.get(group, [])
                                if isinstance(t, int))
            tasks.append(task)
    reasons = [r for r in entry.get("reasons", []) if r != entry.get("error")]
    return AssignmentResult(name=challenge.name, title=challenge.title,
                            score=float(submission.score), max_score=float(submission.max_score),
                            tasks=tasks, reasons=reasons, error=entry.get("error"),
                            hints_used=hints, hints_problem=hints_problem,
                            time=timing.time_taken(course.root, course.root / "submitted" / student
                                                   / challenge.name, challenge.minutes))


def gather(course: Course, assignments: Iterable[str] | None = None,
           candidates: Iterable[str] | None = None, mode: str = "interview",
           known: Path | None = None,
           threshold: float = similarity.DEFAULT_THRESHOLD) -> list[CandidateReport]:
    """Every candidate's results in the gradebook, for the chosen assignments (default: every
    assignment of the course with graded submissions), with each solution cell's similarity
    (at or above ``threshold`` percent) to the reference, the catalogue, ``known`` and the
    other candidates of the cohort."""
    if known is not None and not Path(known).is_dir():
        raise KitError(f"--known {known}: not a folder (give a folder of known solutions, "
                       ".ipynb or .py files)")
    if not 0 <= threshold <= 100:
        raise KitError(f"--similarity {threshold:g}: give a percentage from 0 to 100")
    if mode not in MODES:
        raise KitError(f"unknown report mode {mode!r}; choose one of {', '.join(MODES)}")
    chosen = list(assignments or [])
    for name in chosen:
        course.require_assignment(name)
    wanted = set(candidates or [])
    by_candidate: dict[str, list[AssignmentResult]] = {}
    database = course.db_url.removeprefix("sqlite:///")
    if course.db_url.startswith("sqlite:///") and not Path(database).is_file():
        raise KitError(f"no gradebook at {database}: grade first (`mlchallenge grade ASSIGNMENT`)")
    with warnings.catch_warnings(), Gradebook(course.db_url) as gradebook:
        quiet_gradebook_warnings()
        in_gradebook = {a.name for a in gradebook.assignments}
        names = chosen or [a for a in course.assignments() if a in in_gradebook]
        for name in names:
            if name not in in_gradebook:
                raise KitError(f"{name!r} has not been graded in this course: run "
                               f"`mlchallenge grade {name}` first")
            challenge = bank.load_challenge(course, name)
            journal = Journal(course, name)
            cohort = sorted(s.student.id for s in gradebook.find_assignment(name).submissions)
            # the whole cohort is compared, whoever the report is for
            matches = similarity.similarities(course, name, cohort, known, threshold)
            same = similarity.same_predictions(course, name, cohort)
            for student in cohort:
                if wanted and student not in wanted:
                    continue
                try:
                    result = _assignment_result(course, gradebook, challenge, journal, student, mode)
                except MissingEntry:
                    continue
                result.similar = [m for m in matches if m.candidate == student]
                result.same_predictions = [g for g in same if student in g.candidates]
                by_candidate.setdefault(student, []).append(result)
    missing = sorted(wanted - set(by_candidate))
    if missing:
        raise KitError(f"no graded submission for {', '.join(missing)}"
                       + (f" in {', '.join(chosen)}" if chosen else ""))
    if not by_candidate:
        raise KitError("nothing to report: no graded submissions in the gradebook "
                       "(run `mlchallenge grade ASSIGNMENT` first)")
    return [CandidateReport(c, by_candidate[c]) for c in sorted(by_candidate)]


def merge(*cohorts: list[CandidateReport]) -> list[CandidateReport]:
    """One cohort from several (say, one per course): a candidate's assignments are joined."""
    joined: dict[str, list[AssignmentResult]] = {}
    for cohort in cohorts:
        for report in cohort:
            joined.setdefault(report.candidate, []).extend(report.assignments)
    return [CandidateReport(c, joined[c]) for c in sorted(joined)]


# ---- the cohort CSV ---------------------------------------------------------------------

