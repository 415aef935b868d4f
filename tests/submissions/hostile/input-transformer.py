# A blank notebook, plus an IPython input transformer that rewrites every cell holding the
# hidden-test marker into a harmless print (on the old main: 11 / 15, and the hidden source
# printed on the report page). The judge needs each hidden test's emitted results, so a skipped
# hidden test earns nothing, and the gate holds the notebook for review.
# flag: tampering
# expect: 0
# base: blank
# %% cell: profile
def _skip_hidden(lines):
    if any("BEGIN HIDDEN" in line for line in lines):
        return ["print('LEAK: hidden test skipped')\n"]
    return lines

get_ipython().input_transformers_post.append(_skip_hidden)

def missingness_profile(df):
    raise NotImplementedError()
