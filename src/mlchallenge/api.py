"""The kit's one surface: what the CLI, the tests and the benchmarks call.

Every name here is loaded when first used (nbgrader, pandas and scikit-learn take seconds to
import, and a candidate's ``mlchallenge start`` needs none of them), so ``from mlchallenge
import api`` is instant. The names, by who uses them:

- interviewer: ``init_course``, ``new_challenge``, ``catalogue``, ``release``,
  ``grade`` (``prepare_workers`` first starts its workers' server and ``factory_offer`` the
  first worker's kernel factory, before the grading code loads), ``bundle``, ``collect``,
  ``report``;
- candidate: ``start``, ``check``, ``grade_self``, ``submit``;
- the course: ``Course``, ``KitError``.

Below this surface the package is layered (see ``mlchallenge/__init__.py``); import-linter holds
the layers (``make lint``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what a reader and a type checker see; the same names load lazily below
    from mlchallenge.candidate.check import check, format_check, notebooks_to_check
    from mlchallenge.candidate.practice import format_self_grade, grade_self
    from mlchallenge.candidate.workspace import default_workspace, open_lab, start, submit
    from mlchallenge.core.course import Course
    from mlchallenge.core.errors import KitError
    from mlchallenge.dev.demo import (
        format_matrix,
        format_report_summary,
        format_rows,
        run_demo,
        write_demo_report,
    )
    from mlchallenge.grading.context import factory_offer
    from mlchallenge.grading.results import SubmissionResult, format_table
    from mlchallenge.grading.server import prepare_workers
    from mlchallenge.grading.service import grade, release
    from mlchallenge.interviewer.authoring import init_course, new_challenge
    from mlchallenge.interviewer.bank import catalogue, format_catalogue
    from mlchallenge.interviewer.bundle import build_bundle
    from mlchallenge.interviewer.collect import collect
    from mlchallenge.interviewer.collect import format_table as format_collected
    from mlchallenge.interviewer.pages import format_summary, report
    from mlchallenge.sandbox.cgroups import describe as describe_resource_groups

_SURFACE: dict[str, tuple[str, str]] = {
    name: (module, attribute)
    for module, names in {
        "mlchallenge.core.course": ["Course"],
        "mlchallenge.core.errors": ["KitError"],
        "mlchallenge.interviewer.bank": ["catalogue", "format_catalogue"],
        "mlchallenge.interviewer.authoring": ["init_course", "new_challenge"],
        "mlchallenge.grading.service": ["grade", "release"],
        "mlchallenge.grading.results": ["SubmissionResult", "format_table"],
        "mlchallenge.grading.server": ["prepare_workers"],
        "mlchallenge.grading.context": ["factory_offer"],
        "mlchallenge.interviewer.bundle": ["build_bundle"],
        "mlchallenge.interviewer.collect": ["collect", "format_collected=format_table"],
        "mlchallenge.interviewer.pages": ["format_summary", "report"],
        "mlchallenge.candidate.check": ["check", "format_check", "notebooks_to_check"],
        "mlchallenge.candidate.practice": ["format_self_grade", "grade_self"],
        "mlchallenge.candidate.workspace": ["default_workspace", "open_lab", "start", "submit"],
        "mlchallenge.dev.demo": ["format_matrix", "format_report_summary", "format_rows",
                                 "run_demo", "write_demo_report"],
        "mlchallenge.sandbox.cgroups": ["describe_resource_groups=describe"],
    }.items()
    for name, _, attribute in (entry.partition("=") for entry in names)
    for name, attribute in [(name, attribute or name)]
}

__all__ = [
    "Course",
    "KitError",
    "SubmissionResult",
    "build_bundle",
    "catalogue",
    "check",
    "collect",
    "default_workspace",
    "describe_resource_groups",
    "factory_offer",
    "format_catalogue",
    "format_check",
    "format_collected",
    "format_matrix",
    "format_report_summary",
    "format_rows",
    "format_self_grade",
    "format_summary",
    "format_table",
    "grade",
    "grade_self",
    "init_course",
    "new_challenge",
    "notebooks_to_check",
    "open_lab",
    "prepare_workers",
    "release",
    "report",
    "run_demo",
    "start",
    "submit",
    "write_demo_report",
]

assert sorted(__all__) == sorted(_SURFACE), "the surface and __all__ name the same things"


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _SURFACE[name]
    except KeyError:
        raise AttributeError(f"module 'mlchallenge.api' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # loaded once
    return value


def __dir__() -> list[str]:
    return __all__
