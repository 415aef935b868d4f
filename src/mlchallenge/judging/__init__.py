"""The grading process's side: judges that decide each hidden test from what the kernel emitted.

Nothing here runs in the grading kernel, and the kernel side (``mlchallenge.kernel``) imports
nothing from here. A challenge's ``source/<assignment>/judges.py`` imports what it needs::

    from mlchallenge.judging import compare, judge
    from mlchallenge.judging.compare import Wrong

    @judge("test-impute-train")
    def impute_train(case):
        train, test = case.args("impute")          # the grader's own copies of the inputs
        got_train, got_test = compare.pair(case.returned("impute"), "impute()")
        ...                                         # raise Wrong("...") or return a fraction

Beside the judges: ``scoring`` (a model task's predictions against the hidden-test labels: the
spec, the metric, the points, held for review or not), ``learning`` (what tells a model that
learned from one that did not), ``gate`` and ``rules`` (the submitted source read for tampering
and for each task's rules, through ``source``), ``codec`` and ``memo``.
"""

from mlchallenge.judging import compare, memo
from mlchallenge.judging.compare import NotAttempted, Wrong
from mlchallenge.judging.verdicts import Case, SpecError, judge

__all__ = ["Case", "NotAttempted", "SpecError", "Wrong", "compare", "judge", "memo"]
