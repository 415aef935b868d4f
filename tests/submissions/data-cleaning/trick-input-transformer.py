# Returns every label unchanged (a wrong answer) and registers an IPython input transformer that
# turns every cell holding the hidden tests into `pass`, so no hidden check would run in the
# kernel. The integrity gate flags get_ipython() and the input transformers and holds every
# point at 0 for review. Without the gate it would gain nothing either: a hidden test that
# emits nothing earns 0.
# flag: tampering
# expect: 0
# base: reference
# %% cell: sex
def canonical_sex(values):
    return values.copy()


def _skip_hidden(lines):
    if any("BEGIN HIDDEN" in line for line in lines):
        return ["pass\n"]
    return lines


get_ipython().input_transformers_post.append(_skip_hidden)
