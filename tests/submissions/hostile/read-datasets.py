# Looks for the course's full datasets folder (the one with every label).
# expect: 0
# base: blank
# %% cell: profile
import glob
import os


def everywhere(suffix):
    """Every file under / whose path ends with ``suffix``: the whole tree the kernel can see,
    walked to the end (/proc, /sys and /dev hold no course files and have no end)."""
    for here, dirs, files in os.walk("/"):
        if here == "/":
            dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
        for name in files:
            path = os.path.join(here, name)
            if path.endswith(suffix):
                yield path


for path in glob.glob("../../../datasets/*.csv") + list(everywhere("/datasets/credit_data.csv")):
    if "/opt/mlchallenge/" not in path:
        print("LEAK: full dataset", path)
