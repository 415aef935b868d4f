# Starts processes without end (each sleeps, so they pile up).
# expect: 0
# base: blank
# %% cell: profile
import subprocess
children = [subprocess.Popen(["sleep", "300"]) for _ in range(100_000)]
