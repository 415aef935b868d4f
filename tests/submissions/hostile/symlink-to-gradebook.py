# Hands in symbolic links to the gradebook and to source/, hoping the grader copies what they
# point at into the kernel's folder.
# expect: 0
# base: blank
# transform: symlink-gradebook
# %% cell: profile
import os
for name in ("stolen.db", "stolen-source"):
    if os.path.exists(name):
        print("LEAK: followed", name)
