"""The `mlchallenge` command: thin; every subcommand is one call into the package."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from mlchallenge import __version__, api
from mlchallenge.core.course import quiet_gradebook_warnings
from mlchallenge.core.errors import KitError
from mlchallenge.core.text_table import printable


def _course(args):

    return api.Course(args.course)


def _progress(line: str) -> None:
    print(printable(line), file=sys.stderr, flush=True)


def cmd_list(args) -> int:

    print(api.format_catalogue(api.catalogue(_course(args))))
    return 0


def cmd_release(args) -> int:

    for folder in api.release(_course(args), args.assignments or None):
        print(printable(f"released {folder}"))
    return 0


def cmd_grade(args) -> int:
    if args.self_grade:
        return cmd_grade_self(args)
    if not args.scheduler:
        api.prepare_workers()  # their imports run beside this process's own (seconds each)
    course = _course(args)
    if args.db:
        course.config.CourseDirectory.db_url = args.db
    # the first worker's kernel factory, started before the grading code loads
    with api.factory_offer(course, sandbox=not args.no_sandbox and not args.scheduler) as offer:
        results = api.grade(course, args.assignment, args.student or None,
                            progress=None if sys.stderr.isatty() else _progress,
                            workers=args.workers, sandbox=not args.no_sandbox,
                            regrade=args.regrade, scheduler=args.scheduler, offer=offer)
    print(api.format_table(results))
    if not args.no_sandbox and not args.scheduler:
        # what bounded the kernels' CPU, memory and processes
        print(api.describe_resource_groups(), file=sys.stderr)
    failed = [r for r in results if not r.graded]
    if failed:
        print(f"\n{len(failed)} of {len(results)} submissions could not be graded:", file=sys.stderr)
        for r in failed:
            print(printable(f"  {r.student}: {r.error}"), file=sys.stderr)
        return 1
    print(f"\nall {len(results)} submissions graded", file=sys.stderr)
    return 0


def cmd_start(args) -> int:

    workspace = api.start(_course(args), args.assignment, Path(args.dir) if args.dir else None)
    print(printable(f"workspace: {workspace}"))
    return 0 if args.no_lab else api.open_lab(workspace)


def cmd_check(args) -> int:

    results = api.check(api.notebooks_to_check(Path(args.notebook) if args.notebook else None))
    print(api.format_check(results))
    return 0 if all(r.passed for r in results) else 1


def cmd_grade_self(args) -> int:

    graded = api.grade_self(_course(args), args.assignment, Path(args.dir) if args.dir else None,
                        sandbox=not args.no_sandbox)
    if graded.error:
        print(f"could not grade: {graded.error}", file=sys.stderr)
        return 1
    print(api.format_self_grade(graded))
    return 0


def cmd_submit(args) -> int:

    workspace = Path(args.dir) if args.dir else api.default_workspace(args.assignment)
    checked = None
    if not args.no_check:
        checked = api.check(api.notebooks_to_check(workspace))
        print(api.format_check(checked))
        if not all(r.passed for r in checked):
            print("warning: not every public test passes; submitting anyway", file=sys.stderr)
    print(printable(f"submission: {api.submit(args.assignment, workspace, args.out, checked)}"))
    return 0


def cmd_demo(args) -> int:

    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="mlchallenge-demo-"))
    course = _course(args)
    try:
        rows = api.run_demo(course, args.assignments or None, workdir, progress=_progress,
                        jobs=args.jobs)
        cohort, written = api.write_demo_report(rows, workdir, Path(args.report or
                                                                 course.root / "build" / "demo-report"))
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(api.format_rows(rows))
    print()
    print(api.format_matrix(rows))
    print()
    print(api.format_report_summary(cohort, written))
    unexpected = [r for r in rows if not r.as_expected]
    if unexpected:
        print(f"\n{len(unexpected)} attempts did not score as catalogued", file=sys.stderr)
        return 1
    print(f"\nall {len(rows)} catalogued attempts scored as expected")
    return 0


def cmd_bundle(args) -> int:

    made = api.build_bundle(_course(args), args.assignments, Path(args.out), args.minutes)
    print(printable(f"wrote {made.path}: {', '.join(made.assignments)}, {made.minutes} minutes, "
                    f"install: pip install {' '.join(made.packages)}; bundle id {made.bundle_id}"))
    return 0


def cmd_collect(args) -> int:

    results = api.collect(_course(args), [Path(z) for z in args.zips], args.candidate, args.replace)
    print(api.format_collected(results))
    return 0 if all(r.ok for r in results) else 1


def cmd_report(args) -> int:
    reports, written = api.report(_course(args), args.assignments, args.candidate, args.out, args.mode,
                                  Path(args.known) if args.known else None, args.similarity)
    print(api.format_summary(reports))
    print("\n" + printable(f"report: {written.index}") + "\n" + printable(f"cohort CSV: {written.csv}")
          + "\n" + printable(f"item statistics: {written.items}"))
    return 0


def cmd_init(args) -> int:
    folder = api.init_course(Path(args.folder))
    print(printable(f"course written to {folder}: nbgrader_config.py, source/, release/, "
                    "datasets/, tests/submissions/"))
    print(printable(f"next: cd {folder} && mlchallenge list"))
    return 0


def cmd_new(args) -> int:
    course = _course(args)
    for path in api.new_challenge(course, args.name):
        print(printable(f"wrote {path.relative_to(course.root)}"))
    print(printable(f"next: mlchallenge release {args.name}, then `mlchallenge demo {args.name}` "
                    "grades the attempts in tests/submissions/" + args.name + "/ against the "
                    "scores they declare (a challenge of the bank has at least two "
                    "alternatives, five mistakes and two tricks)"))
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
    p.add_argument("--self", dest="self_grade", action="store_true",
                   help="practice mode: grade your own workspace (--dir, default "
                        "./workspace/ASSIGNMENT) with the hidden tests, print each task's "
                        "outcome and write nbgrader's feedback report into <workspace>/feedback/")
    p.add_argument("--dir", metavar="DIR", help="with --self: the workspace to grade")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser(
        "start", help="copy a challenge into a workspace and open JupyterLab on it",
        description="Copy the student notebooks and public data of ASSIGNMENT (from release/) "
                    "into a workspace, with hints.py for tiered hints, then open JupyterLab. "
                    "Work already there is never overwritten: a notebook you changed makes it "
                    "stop with an error; an untouched one is kept and opened.")
    p.add_argument("assignment", metavar="ASSIGNMENT", help="the challenge, e.g. missing-data")
    p.add_argument("--dir", metavar="DIR", help="the workspace (default: ./workspace/ASSIGNMENT)")
    p.add_argument("--no-lab", action="store_true", help="prepare the workspace only")
    p.set_defaults(func=cmd_start)

    p = sub.add_parser(
        "check", help="run a notebook's public tests: passed / failed / not attempted per task",
        description="Run the notebook once, top to bottom, in one kernel, and print for each "
                    "graded task whether its public tests passed, failed (with the message) or "
                    "were not attempted. The notebook file is not changed. Exit code 0 when "
                    "every public test passes, 1 otherwise, 2 on bad input.")
    p.add_argument("notebook", nargs="?", metavar="NOTEBOOK",
                   help="a notebook or a workspace folder (default: the notebooks in the current "
                        "folder, else in ./workspace/*/)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "submit", help="check a workspace and write it as a zip with checksums",
        description="Run check on the workspace's notebooks (failing tests are reported, the "
                    "zip is written all the same), then write ASSIGNMENT-<UTC time>.zip with "
                    "the notebooks, hints_used.json, the data and MANIFEST.json (sha256 of each "
                    "file, the Python and package versions). Prints the zip's path.")
    p.add_argument("assignment", metavar="ASSIGNMENT", help="the challenge, e.g. missing-data")
    p.add_argument("--dir", metavar="DIR", help="the workspace (default: ./workspace/ASSIGNMENT)")
    p.add_argument("--out", metavar="DIR",
                   help="where to write the zip (default: the folder holding the workspace)")
    p.add_argument("--no-check", action="store_true", help="write the zip without running check")
    p.set_defaults(func=cmd_submit)

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
    p.add_argument("--report", metavar="DIR",
                   help="write the demo cohort's HTML report and CSV here (default: build/demo-report)")
    p.set_defaults(func=cmd_demo)
    _add_interviewer_commands(sub)
    return parser


def _add_interviewer_commands(sub) -> None:
    p = sub.add_parser(
        "bundle", help="write the zip a candidate receives: release notebooks, public data, README",
        description="Write the candidate's zip: the release notebooks and public data of each "
                    "ASSIGNMENT and a README with the time limit, what to install and how to hand "
                    "the work back. No solution, hidden test, hidden data or follow-up question.")
    p.add_argument("assignments", nargs="+", metavar="ASSIGNMENT")
    p.add_argument("--out", required=True, metavar="FILE.zip", help="the zip to write")
    p.add_argument("--minutes", type=_positive_int, metavar="M",
                   help="time limit in the README (default: the sum of the manifests' minutes)")
    p.set_defaults(func=cmd_bundle)

    p = sub.add_parser(
        "collect", help="unpack candidates' zips into submitted/<candidate>/<assignment>/",
        description="Put each ZIP's notebooks into nbgrader's submitted/<candidate>/<assignment>/, "
                    "ready for `mlchallenge grade`. Nested folders, renamed notebooks and zips "
                    "written by `mlchallenge submit` are understood; a zip that does not fit is "
                    "rejected with a reason and the others are still collected. The candidate id "
                    "is --candidate, else the zip's file name without assignment names, dates and "
                    "copy suffixes (ada-lovelace_missing-data.zip -> ada-lovelace). Exit code 1 "
                    "when some zip was rejected.")
    p.add_argument("zips", nargs="+", metavar="ZIP")
    p.add_argument("--candidate", metavar="ID", help="the candidate these zips belong to")
    p.add_argument("--replace", action="store_true",
                   help="overwrite a submission already collected (default: refuse)")
    p.set_defaults(func=cmd_collect)

    p = sub.add_parser(
        "report", help="HTML report per candidate, cohort page and CSV, from the gradebook",
        description="Write reports/index.html (the cohort: score distribution, skills heatmap), "
                    "one page per candidate (points per skill, each task passed or failed with "
                    "its message, leakage flags, hints used, answers waiting for manual grading, "
                    "follow-up questions for the live interview) and reports/cohort.csv, from "
                    "the gradebook and the autograded notebooks. Grade first.")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                   help="assignments to report on (default: every graded one)")
    p.add_argument("--candidate", action="append", metavar="ID",
                   help="only this candidate (repeatable; default: all)")
    p.add_argument("--out", metavar="DIR", help="where to write (default: reports/ in the course)")
    p.add_argument("--mode", choices=("interview", "practice"), default="interview",
                   help="interview: for the interviewer, failed tests' messages only (default); "
                        "practice: feedback for a candidate, with the tracebacks")
    p.add_argument("--known", metavar="DIR",
                   help="a folder of known solutions (.ipynb, .py) to compare each solution cell "
                        "with, besides the reference, the catalogue and the other candidates")
    p.add_argument("--similarity", type=float, default=None, metavar="PERCENT",
                   help="list code found elsewhere at this share of a cell or more (default: "
                        "set above what the catalogue's independent alternatives reach)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "init", help="write a new course: the kit's challenges, datasets and attempts",
        description="Write a course of your own into FOLDER (new or empty): nbgrader_config.py, "
                    "the bank's source/ and release/, datasets/ and the catalogued attempts "
                    "(tests/submissions/). Every command works on it, from that folder or with "
                    "--course FOLDER.")
    p.add_argument("folder", metavar="FOLDER")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser(
        "new", help="start a challenge: notebook, judge, manifest, reference and blank",
        description="Write source/NAME/ (a notebook with a solution cell, a public and a hidden "
                    "test, judges.py, manifest.toml) and tests/submissions/NAME/ (reference, "
                    "blank, a mistake and an alternative) in the course. The skeleton is a "
                    "complete challenge: release it and its reference gets full marks.")
    p.add_argument("name", metavar="NAME", help="lower-case words joined by hyphens")
    p.set_defaults(func=cmd_new)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet_gradebook_warnings()
    try:
        return args.func(args)
    except KitError as exc:
        print(printable(f"mlchallenge: error: {exc}").replace("\\x0a", "\n"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mlchallenge: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
