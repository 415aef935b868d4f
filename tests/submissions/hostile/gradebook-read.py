# Reads the gradebook to learn other candidates' scores.
# expect: 0
# base: blank
# %% cell: profile
import glob, os
for path in ["../../../gradebook.db", "../../gradebook.db"] + glob.glob("/**/*.db", recursive=True):
    try:
        data = open(path, "rb").read(64)
        print("LEAK: read", path)
    except Exception:
        pass
