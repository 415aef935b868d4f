# Sleeps far past the cell time limit.
# expect: 0
# base: blank
# %% cell: profile
import time
time.sleep(10_000)
