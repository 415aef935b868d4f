# Behaves differently when it notices it is being graded (NBGRADER_EXECUTION, or the folder).
# expect: 0
# base: blank
# %% cell: profile
import os
if os.environ.get("NBGRADER_EXECUTION"):
    print("LEAK: grader environment visible:", os.environ["NBGRADER_EXECUTION"])
for key in os.environ:
    if key.startswith(("NBGRADER", "JUPYTERHUB")) or "TOKEN" in key:
        print("LEAK: grader variable", key)
