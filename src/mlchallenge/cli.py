"""The `mlchallenge` command: thin; every subcommand is one call into the package."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

from . import __version__
from .errors import KitError


def _course(args):
    from .course import Course

    return Course(args.course)


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def cmd_list(args) -> int:
    from .bank import catalogue, format_catalogue

    print(format_catalogue(catalogue(_course(args))))
    return 0


def cmd_release(args) -> int:
    from .grading import release

    for folder in release(_course(args), args.assignments or None):
        print(f"released {folder}")
    return 0


def cmd_grade(args) -> int:
    from .grading import format_table, grade

    course = _course(args)
    if args.db:
        course.config.CourseDirectory.db_url = args.db
    results = grade(course, args.assignment, args.student or None,
                    progress=None if sys.stderr.isatty() else _progress, workers=args.workers,
                    sandbox=not args.no_sandbox, regrade=args.regrade, scheduler=args.scheduler)
    print(format_table(results))
    failed = [r for r in results if not r.graded]
    if failed:
        print(f"\n{len(failed)} of {len(results)} submissions could not be graded:", file=sys.stderr)
        for r in failed:
            print(f"  {r.student}: {r.error}", file=sys.stderr)
        return 1
    print(f"\nall {len(results)} submissions graded", file=sys.stderr)
    return 0


def cmd_demo(args) -> int:
    from .demo import format_matrix, format_rows, run_demo

    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="mlchallenge-demo-"))
    try:
        rows = run_demo(_course(args), args.assignments or None, workdir, progress=_progress,
                        jobs=args.jobs)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(format_rows(rows))
    print()
    print(format_matrix(rows))
    unexpected = [r for r in rows if not r.as_expected]
    if unexpected:
        print(f"\n{len(unexpected)} attempts did not score as catalogued", file=sys.stderr)
        return 1
    print(f"\nall {len(rows)} catalogued attempts scored as expected")
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlchallenge",
        description="Notebook coding challenges for machine-learning interviews, "
                    "graded with nbgrader.",
    )
    parser.add_argument("--version", action="version", version=f"mlchallenge {__version__}")
    parser.add_argument("--course", default=".", metavar="DIR",
                        help="the course root, holding nbgrader_config.py (default: .)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("list", help="the challenge bank: name, title, skills, minutes, points",
                       description="List the challenges in source/ with their skills, minutes and "
                                   "points (autograded + manually graded).")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("release", help="regenerate release/ from source/ with nbgrader")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                   help="assignments to release (default: all)")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser(
        "grade",
        help="autograde submitted/<student>/ASSIGNMENT/ with nbgrader and print the scores",
        description="Autograde every submission of ASSIGNMENT with nbgrader, N at a time, each "
                    "kernel in a bubblewrap sandbox. A run that is stopped can be started again: "
                    "it grades what is left. Exit code 0 when every submission was graded, 1 when "
                    "some could not be (the reasons are listed), 2 on bad input.",
    )
    p.add_argument("assignment", metavar="ASSIGNMENT", help="the assignment to grade, e.g. missing-data")
    p.add_argument("--student", action="append", metavar="ID",
                   help="grade only this student (repeatable; default: every submission)")
    p.add_argument("--workers", type=_positive_int, default=os.cpu_count() or 1, metavar="N",
                   help="grade N submissions at once (default: the number of cores; with "
                        "--scheduler, the cluster's workers decide)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="send the grading tasks to this Dask distributed scheduler's workers "
                        "(each needs the kit and bubblewrap; run them with --nthreads 1); "
                        "results come back here, to the one gradebook writer")
    p.add_argument("--db", metavar="URL",
                   help="the gradebook's database URL, e.g. postgresql://USER@HOST:PORT/DB "
                        "(default: nbgrader's CourseDirectory.db_url, sqlite:///gradebook.db)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run grading kernels without the bubblewrap sandbox (only for trusted "
                        "submissions, on machines without bubblewrap)")
    p.add_argument("--regrade", action="store_true",
                   help="grade every submission again, also those the last run finished")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser(
        "demo",
        help="grade the catalogued attempts (tests/submissions/) in a scratch course "
             "and print the score table",
    )
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                   help="assignments to demo (default: all with catalogued attempts)")
    p.add_argument("--workdir", metavar="DIR",
                   help="build the scratch course here and keep it (default: a temporary folder, "
                        "removed afterwards)")
    p.add_argument("--jobs", type=_positive_int, default=os.cpu_count() or 1, metavar="N",
                   help="grade N assignments at once, each in its own scratch course "
                        "(default: the number of cores)")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # nbgrader's gradebook code triggers SQLAlchemy warnings that say nothing to a user.
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*not in session.*")
    try:
        return args.func(args)
    except KitError as exc:
        print(f"mlchallenge: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mlchallenge: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
