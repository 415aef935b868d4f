# Reads the gradebook to learn other candidates' scores.
# expect: 0
# base: blank
# %% cell: profile
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


# (nbgrader ships a test gradebook of its own in its package: not the course's)
for path in ["../../../gradebook.db", "../../gradebook.db"] + [p for p in everywhere("/gradebook.db") if "/site-packages/" not in p]:
    try:
        data = open(path, "rb").read(64)
        print("LEAK: read", path)
    except Exception:
        pass
