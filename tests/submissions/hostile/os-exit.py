# Kills its own kernel with os._exit before any test runs.
# expect: 0
# base: blank
# %% cell: profile
import os
os._exit(0)
