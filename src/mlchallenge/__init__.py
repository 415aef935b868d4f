"""mlchallenge: notebook coding challenges for machine-learning interviews, graded with nbgrader.

The package is layered; each layer imports only the layers below it, and nothing imports back
up (import-linter checks it in ``make lint``, from the contracts in pyproject.toml). From the
top:

- ``cli``: the ``mlchallenge`` command; it calls ``api`` only.
- ``api``: the one surface the command line, the tests and the benchmarks use.
- ``dev``: developer tools on a clone (the catalogued attempts, ``mlchallenge demo``).
- ``interviewer``: the bank, bundles, collecting, reports.
- ``candidate``: the workspace (start, check, practice grading, submit) and hints.
- ``grading``: the grading service, the one context a run hands every worker, the runner, workers,
  gradebook writer, journal, Dask.
- ``preprocessors``: the kit's nbgrader preprocessors, one per file.
- ``judging`` and ``sandbox``, side by side: the judges that decide hidden tests in the grading
  process; and the bubblewrap sandbox, control groups and kernel factories.
- ``kernel``: what runs inside the grading kernel, beside the candidate's code. It is within the
  candidate's reach, so it decides nothing, and imports nothing of the grading side.
- ``core``: the course folder, the error type, safe text tables.
"""

import sys as _sys

__version__ = "0.1.0"

# nbformat validates notebooks with jsonschema, which imports rfc3987_syntax when it is installed
# (JupyterLab's event schemas pull it in) only to check "iri" string formats, which notebook
# schemas never use; importing it builds a grammar: about 2 s of CPU in every grading process
# and worker. Where the kit runs, jsonschema goes without it.
# (None in sys.modules makes its import fail, as the import system documents; typeshed allows
# only modules there.)
_sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
