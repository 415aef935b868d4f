# Opens the course's gradebook with sqlite3 and gives itself full manual marks.
# expect: 0
# base: blank
# %% cell: profile
import glob, os, sqlite3
for path in ["../../../gradebook.db", "../../gradebook.db", "../gradebook.db"] + glob.glob("/**/gradebook.db", recursive=True):
    try:
        db = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
        db.execute("UPDATE grade SET manual_score = 100")
        db.commit()
        print("LEAK: wrote", path)
    except Exception as exc:
        pass
