# Opens the course's gradebook with sqlite3 and gives itself full manual marks.
# expect: 0
# base: blank
# %% cell: profile
import os
import sqlite3


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


for path in ["../../../gradebook.db", "../../gradebook.db", "../gradebook.db"] + list(everywhere("/gradebook.db")):
    try:
        db = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
        db.execute("UPDATE grade SET manual_score = 100")
        db.commit()
        print("LEAK: wrote", path)
    except Exception as exc:
        pass
