"""The package's layers (pyproject.toml's import-linter contracts) hold, and a forbidden import
breaks them: the check in `make lint` can fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(src: Path) -> subprocess.CompletedProcess:
    """import-linter with the repository's contracts, on the package found in ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", str(ROOT / "pyproject.toml")],
                          cwd=src, env=env, capture_output=True, text=True, timeout=120)


def test_the_package_keeps_its_layers(tmp_path):
    shutil.copytree(ROOT / "src" / "mlchallenge", tmp_path / "mlchallenge",
                    ignore=shutil.ignore_patterns("__pycache__"))
    run = lint_imports(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize("where, line, broken", [
    # the kernel side reaching the grading side, from inside a function
    ("kernel/emit.py", "def _leak():\n    from mlchallenge.grading import service\n",
     "The kernel side (it runs beside the candidate's code) imports nothing of the grading side"),
    # a lower layer importing a higher one
    ("core/text_table.py", "def _up():\n    from mlchallenge.interviewer import reports\n",
     "Layers: each imports only those below it"),
    # the command line around the api
    ("cli.py", "def _around():\n    from mlchallenge.grading import service\n",
     "The command line goes through the api"),
    # a circle inside one package
    ("grading/journal.py", "def _back():\n    from mlchallenge.grading import runner\n",
     "No circle between the modules of any package"),
])
def test_a_forbidden_import_breaks_the_contract(tmp_path, where, line, broken):
    shutil.copytree(ROOT / "src" / "mlchallenge", tmp_path / "mlchallenge",
                    ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "mlchallenge" / where
    target.write_text(target.read_text() + "\n\n" + line)
    run = lint_imports(tmp_path)
    assert run.returncode != 0, run.stdout
    assert f"{broken} BROKEN" in " ".join(run.stdout.split()), run.stdout
