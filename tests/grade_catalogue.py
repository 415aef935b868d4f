"""Grade every catalogued attempt once, in a process of its own: ``python grade_catalogue.py
WORKDIR OUT``. The test session starts it when its first test starts and goes on with the tests
that do not need it, so the catalogue's grading and those tests share the machine's cores; the
``demo_rows`` fixture waits for it and reads the rows pickled to OUT. It is the same code path
as `mlchallenge demo`, one assignment per process, as many at once as the machine has cores."""

from __future__ import annotations

import os
import pickle
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(workdir: Path, out: Path) -> None:
    from mlchallenge.core.course import Course
    from mlchallenge.dev.demo import run_demo

    warnings.filterwarnings("ignore", message=".*not in session.*")
    rows = run_demo(Course(ROOT), None, workdir, jobs=os.cpu_count() or 1)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(pickle.dumps(rows))
    partial.replace(out)  # whole or not at all


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python grade_catalogue.py WORKDIR OUT")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
