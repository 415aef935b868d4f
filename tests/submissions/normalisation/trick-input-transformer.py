# Divides by the sample standard deviation (a wrong answer worth 11 points) and registers an
# IPython input transformer that turns every cell holding the hidden tests into `pass`, so no
# hidden check would run in the kernel. The integrity gate flags get_ipython() and the input
# transformers and holds every point at 0 for review. Without the gate it would gain nothing
# either: a hidden test that emits nothing earns 0, so every test cell after this one
# (the pipeline refit included) would score 0.
# flag: tampering
# expect: 0
# base: reference
# %% cell: standardize
def standardize(train, test):
    mean = train.mean(axis=0)
    std = train.std(axis=0, ddof=1)
    std[std == 0] = 1.0
    return (train - mean) / std, (test - mean) / std


def _skip_hidden(lines):
    if any("BEGIN HIDDEN" in line for line in lines):
        return ["pass\n"]
    return lines


get_ipython().input_transformers_post.append(_skip_hidden)
