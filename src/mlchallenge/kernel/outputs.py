"""What the kernel's outputs are called: the display types a hidden test's calls emit for the
grading process, and the metrics a model task may name.

The grading side reads these names without importing what produces the outputs (scikit-learn
and the kernel's helpers), so a grading worker loads scikit-learn only when it scores a model
task."""

EMIT_MIME = "application/vnd.mlchallenge.emit+json"  # one call's record (``emit``)
PREDICTIONS_MIME = "application/vnd.mlchallenge.predictions+json"  # a model task's predictions
METRICS = ("roc_auc", "accuracy", "rmse_log")
