"""What runs inside the grading kernel, beside the candidate's code.

Everything here is within the candidate's reach (a solution cell can rewrite any of it), so
nothing here decides a grade. The kernel only *produces*: a hidden test cell builds its inputs
(``datasets``), calls the candidate's functions on them and emits what they returned
(``emit``), typed and size-capped. The grading process judges (``mlchallenge.judging``).

Rule of this layer: it imports the standard library, numpy, pandas, scikit-learn, IPython,
itself and ``mlchallenge.core`` (its error type), never anything else of the kit (the judging
side can import it; never the reverse).
"""

from mlchallenge.kernel.emit import EMIT_MIME, emit

__all__ = ["EMIT_MIME", "emit"]
