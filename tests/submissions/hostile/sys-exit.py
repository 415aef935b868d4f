# Calls sys.exit in the middle of the notebook.
# expect: 0
# base: blank
# %% cell: profile
import sys
sys.exit(0)
