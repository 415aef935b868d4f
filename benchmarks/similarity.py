"""The figures behind the report's similarity section: false alarms, detection, and time.

1. Each challenge's catalogued attempts are written as submissions (no grading needed) and each
   solution cell an attempt rewrote is compared with the reference's, as the report compares a
   candidate's (copydetect fingerprints, the release's starter code as boilerplate). Sound
   alternatives were written apart from the reference: their figures are what independent
   honest work reaches. Mistakes and tricks are mostly the reference edited.
2. False alarms: pairs of sound alternatives of one challenge (cells both rewrote) at or above
   the default threshold, as the cohort comparison would list them. The goal is none.
3. Time: the similarity step of `mlchallenge report` for one challenge's catalogue as a cohort,
   and for --candidates N submissions (default 500) made from it.
4. Behaviour (with --graded DIR, a `mlchallenge demo --workdir DIR` run: predictions need
   grading): per model task, which pairs of sound attempts predicted the same on every
   hidden-test row, as the report would group them. Independent pairs are those that both wrote
   the task's solution cell (the reference wrote all; an alternative that left the cell as the
   reference's shares the reference's code there). The same for label predictions, which the
   report leaves out; and whether each catalogued copy (`# flag: similarity`) is grouped with
   the reference.

    .venv/bin/python benchmarks/similarity.py [ASSIGNMENT ...] [--candidates 500] [--graded DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mlchallenge.core.course import Course  # noqa: E402
from mlchallenge.core.text_table import render  # noqa: E402
from mlchallenge.dev.demo import make_scratch_course  # noqa: E402
from mlchallenge.interviewer import similarity  # noqa: E402
from mlchallenge.interviewer.attempts import catalogue, write_submission  # noqa: E402
from mlchallenge.interviewer.pages import task_map  # noqa: E402

TIMED = "missing-data"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--graded", type=Path, metavar="DIR",
                        help="a `mlchallenge demo --workdir DIR` run: print the behaviour figures")
    args = parser.parse_args()
    if args.graded:
        return behaviour(args.graded, args.assignments)
    course = Course(ROOT)
    names = args.assignments or [a for a in course.assignments()
                                 if (ROOT / "tests" / "submissions" / a).is_dir()]
    threshold = similarity.DEFAULT_THRESHOLD
    by_kind: dict[str, list[float]] = {}
    rows, alarms, pairs = [], [], 0
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = make_scratch_course(course, Path(scratch_dir) / "course")
        shutil.copytree(ROOT / "tests" / "submissions", scratch.root / "tests" / "submissions")
        for name in names:
            shutil.copytree(ROOT / "release" / name, scratch.root / "release" / name)
            attempts = [a for a in catalogue(ROOT / "tests" / "submissions", name)
                        if a.kind not in ("reference", "blank") and a.cells]
            for attempt in attempts:
                write_submission(attempt, scratch.root)
            matches = similarity.similarities(scratch, name, [a.name for a in attempts], threshold=0.0)
            best = {(m.candidate, m.cell): m.percent for m in matches if m.kind == "reference"}
            cohort = {(m.candidate, m.other, m.cell): m.percent for m in matches if m.kind == "cohort"}
            for attempt in attempts:
                for cell in attempt.cells:
                    figure = best.get((attempt.name, cell), 0.0)
                    by_kind.setdefault(attempt.kind, []).append(figure)
                    if attempt.kind == "alternative":
                        rows.append((name, attempt.name, cell, f"{figure:.0f}"))
            alternatives = [a for a in attempts if a.kind == "alternative"]
            for first, second in combinations(alternatives, 2):
                for cell in set(first.cells) & set(second.cells):
                    pairs += 1
                    figure = max(cohort.get((first.name, second.name, cell), 0.0),
                                 cohort.get((second.name, first.name, cell), 0.0))
                    if figure >= threshold:
                        alarms.append((name, first.name, second.name, cell, f"{figure:.0f}"))
        print(render(("assignment", "alternative", "cell", "% of it in the reference"), rows))
        print()
        summary = [(kind, len(v), f"{min(v):.0f}", f"{statistics.median(v):.0f}", f"{max(v):.0f}",
                    sum(f >= threshold for f in v)) for kind, v in sorted(by_kind.items())]
        print(render(("kind", "rewritten cells", "min %", "median %", "max %",
                      f">= {threshold:g} %"), summary))
        print(f"\nfalse alarms: {len(alarms)} of {pairs} pairs of sound alternatives (cells both "
              f"rewrote) at or above {threshold:g} %")
        for alarm in alarms:
            print("  ", *alarm)

        # time: the catalogue as a cohort, then --candidates submissions made from it
        attempts = [a for a in catalogue(ROOT / "tests" / "submissions", TIMED)]
        cohort_names = [a.name for a in attempts]
        for attempt in attempts:
            write_submission(attempt, scratch.root)
        started = time.perf_counter()
        found = similarity.similarities(scratch, TIMED, cohort_names)
        catalogue_seconds = time.perf_counter() - started
        many = []
        for number in range(args.candidates):
            attempt = attempts[number % len(attempts)]
            many.append(f"c{number:04d}")
            write_submission(attempt, scratch.root, student=many[-1])
        started = time.perf_counter()
        found_many = similarity.similarities(scratch, TIMED, many)
        many_seconds = time.perf_counter() - started
    print(f"\ntime of the similarity step, {TIMED}: {len(cohort_names)} candidates (the catalogue) "
          f"{catalogue_seconds:.1f} s, {len(found)} matches; {args.candidates} candidates "
          f"{many_seconds:.1f} s, {len(found_many)} matches")
    return 0


def behaviour(graded: Path, chosen: list[str]) -> int:
    """Same predictions among the catalogue's attempts, graded by `mlchallenge demo`."""
    rows, copies, seconds = [], [], 0.0
    for folder in sorted(p for p in graded.iterdir() if (p / "autograded").is_dir()):
        name = folder.name
        if chosen and name not in chosen:
            continue
        attempts = {a.name: a for a in catalogue(ROOT / "tests" / "submissions", name)}
        cohort = sorted(p.name for p in (folder / "autograded").iterdir() if p.name in attempts)
        sound = [n for n in cohort if attempts[n].kind in ("reference", "alternative")]
        started = time.perf_counter()
        groups = similarity.same_predictions(Course(folder), name, cohort, labels=True)
        seconds += time.perf_counter() - started
        tasks = {}
        for who in sound:
            for path in sorted((folder / "autograded" / who / name).glob("*.ipynb")):
                for cell, record in similarity.scored_predictions(path).items():
                    tasks.setdefault(cell, (record["metric"], []))[1].append(who)
        task_of = task_map(Course(ROOT), [name])
        for cell, (metric, scored) in sorted(tasks.items()):
            task = task_of.get((name, cell))
            wrote = [w for w in scored if attempts[w].kind == "reference" or task in attempts[w].cells]
            same = [(a, b) for g in groups if g.cell == cell
                    for a, b in combinations([c for c in g.candidates if c in wrote], 2)]
            shared = [(a, b) for g in groups if g.cell == cell
                      for a, b in combinations([c for c in g.candidates if c in sound], 2)
                      if (a, b) not in same]
            label = metric in similarity.LABEL_METRICS
            rows.append((name, cell, metric + (" (labels: left out)" if label else ""), task,
                         len(wrote), len(list(combinations(wrote, 2))), len(same),
                         "; ".join(f"{a} = {b}" for a, b in same) or "-",
                         "; ".join(f"{a} = {b}" for a, b in shared) or "-"))
        for who in cohort:
            if "similarity" in attempts[who].flags:
                with_reference = [g.cell for g in groups
                                  if who in g.candidates and "reference" in g.candidates]
                copies.append((name, who, ", ".join(with_reference) or "no model task the same"))
    print(render(("assignment", "test cell", "metric", "task", "sound attempts that wrote it",
                  "pairs", "same on every row", "which",
                  "same, sharing the reference's code there"), rows))
    print()
    print(render(("assignment", "copy (# flag: similarity)", "same predictions as the reference"), copies))
    print(f"\ntime of the behaviour step over these cohorts: {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
