# Looks for the source notebook with the hidden tests.
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


for path in [p for p in everywhere(".ipynb") if "/source/missing-data/" in p] + glob.glob("../../../source/**/*.ipynb", recursive=True):
    if "BEGIN HIDDEN" in open(path).read():
        print("LEAK: hidden tests in", path)
