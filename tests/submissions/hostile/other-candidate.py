# Reads another candidate's submitted and autograded notebooks.
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


for path in glob.glob("../../*/missing-data/*.ipynb") + [p for p in everywhere(".ipynb") if "/missing-data/" in p and ("/submitted/" in p or "/autograded/" in p)]:
    print("LEAK: other candidate", path)
