# Looks for the source notebook with the hidden tests.
# expect: 0
# base: blank
# %% cell: profile
import glob
for path in glob.glob("/**/source/**/*.ipynb", recursive=True) + glob.glob("../../../source/**/*.ipynb", recursive=True):
    if "BEGIN HIDDEN" in open(path).read():
        print("LEAK: hidden tests in", path)
