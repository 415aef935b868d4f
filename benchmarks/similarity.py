"""How alike the catalogue's attempts are to the reference solution, cell by cell: the figures
the similarity threshold of `mlchallenge report` is chosen from.

For every assignment, each catalogued attempt is written as a submission (no grading needed)
and each solution cell it rewrote is compared with the reference's, as the report compares a
candidate's (copydetect fingerprints, the release's starter code as boilerplate). Sound
alternatives were written apart from the reference: their figures are what independent honest
work reaches, so the default threshold sits above their maximum. Mistakes and tricks are
mostly the reference edited, so they show how a near copy scores.

    .venv/bin/python benchmarks/similarity.py [ASSIGNMENT ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mlchallenge.core.course import Course  # noqa: E402
from mlchallenge.core.text_table import render  # noqa: E402
from mlchallenge.dev.demo import make_scratch_course  # noqa: E402
from mlchallenge.interviewer import similarity  # noqa: E402
from mlchallenge.interviewer.attempts import catalogue, write_submission  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    args = parser.parse_args()
    course = Course(ROOT)
    names = args.assignments or [a for a in course.assignments()
                                 if (ROOT / "tests" / "submissions" / a).is_dir()]
    by_kind: dict[str, list[float]] = {}
    rows = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = make_scratch_course(course, Path(scratch_dir) / "course")
        for name in names:
            (scratch.root / "release" / name).parent.mkdir(parents=True, exist_ok=True)
            import shutil

            shutil.copytree(ROOT / "release" / name, scratch.root / "release" / name)
            attempts = [a for a in catalogue(ROOT / "tests" / "submissions", name)
                        if a.kind not in ("reference", "blank") and a.cells]
            for attempt in attempts:
                write_submission(attempt, scratch.root)
            # every match to the reference, whatever its size (threshold 0)
            matches = similarity.similarities(scratch, name, [a.name for a in attempts], threshold=0.0)
            best = {(m.candidate, m.cell): m.percent for m in matches if m.kind == "reference"}
            for attempt in attempts:
                for cell in attempt.cells:
                    figure = best.get((attempt.name, cell), 0.0)
                    by_kind.setdefault(attempt.kind, []).append(figure)
                    if attempt.kind == "alternative":
                        rows.append((name, attempt.name, cell, f"{figure:.0f}"))
    print(render(("assignment", "alternative", "cell", "% of it in the reference"), rows))
    print()
    summary = [(kind, len(v), f"{min(v):.0f}", f"{statistics.median(v):.0f}", f"{max(v):.0f}")
               for kind, v in sorted(by_kind.items())]
    print(render(("kind", "rewritten cells", "min %", "median %", "max %"), summary))
    print(f"\ndefault threshold: {similarity.DEFAULT_THRESHOLD:g} %  "
          f"({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
