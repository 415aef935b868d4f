# Reads another candidate's submitted and autograded notebooks.
# expect: 0
# base: blank
# %% cell: profile
import glob
for path in glob.glob("../../*/missing-data/*.ipynb") + glob.glob("/**/submitted/*/missing-data/*.ipynb", recursive=True) + glob.glob("/**/autograded/*/missing-data/*.ipynb", recursive=True):
    print("LEAK: other candidate", path)
