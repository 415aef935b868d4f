# Registers an IPython input transformer that turns every cell holding the hidden tests into
# `pass`, on top of an optimistic nested estimate (the inner best score). Held at 0 by the
# integrity gate; without it the hidden tests emit nothing and every graded cell earns 0.
# flag: tampering
# expect: 0
# base: reference
# %% cell: nested
def _skip_hidden(lines):
    return ["pass\n"] if any("BEGIN HIDDEN" in line for line in lines) else lines


get_ipython().input_transformers_post.append(_skip_hidden)


def nested_cv_estimate(search, X, y, outer_cv):
    return float(clone(search).fit(X, y).best_score_)
