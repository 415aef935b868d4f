# Answers deep-tree wrong ("bias") and registers an IPython input transformer that turns every
# cell containing "BEGIN HIDDEN" into `pass`, hoping no hidden test runs and nothing fails.
# A hidden test that emits nothing earns 0 (the grading process judges what the kernel sent,
# never the absence of a failure): it loses every test cell (0, below the 12 of the honest
# wrong answer), and the integrity gate holds every point of a notebook that touches IPython's
# input transformers anyway.
# flag: tampering
# expect: 0
# base: reference
# %% cell: short
def _skip_hidden_tests(lines):
    if any("BEGIN HIDDEN" in line for line in lines):
        return ["pass\n"]
    return lines


get_ipython().input_transformers_post.append(_skip_hidden_tests)
SHORT = {
    "learning-kind": "unsupervised",
    "deep-tree": "bias",
    "penalty-direction": "bias",
    "margin-family": "support vector machine",
    "calibrated": "logistic regression",
    "extrapolation": "decision tree",
}
