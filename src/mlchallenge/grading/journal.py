"""The journal in autograded/: which submission was graded with which files, so a rerun
skips it and grades again only what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from mlchallenge.core.course import Course

JOURNAL_DIR = ".mlchallenge"


def submission_digest(folder: Path) -> str:
    """sha256 over a submission folder's file names and contents."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():  # never followed: see _stage
            digest.update(os.fsencode(path.relative_to(folder)) + b"\0" + os.fsencode(os.readlink(path)))
            continue
        if not path.is_file():
            continue
        digest.update(os.fsencode(path.relative_to(folder)) + b"\0")  # any bytes a name holds
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


class Journal:
    """autograded/.mlchallenge/<assignment>.jsonl: one line per submission written to the
    gradebook, with the hash of the files that were graded."""

    def __init__(self, course: Course, assignment: str) -> None:
        self.path = course.root / "autograded" / JOURNAL_DIR / f"{assignment}.jsonl"
        self.entries: dict[str, dict] = {}
        if self.path.is_file():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.entries[entry["student"]] = entry
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a kill: that submission is graded again

    def done(self, student: str, digest: str) -> bool:
        entry = self.entries.get(student)
        return bool(entry and entry.get("digest") == digest)

    def record(self, student: str, digest: str, reasons: list[str], error: str | None = None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"student": student, "digest": digest, "reasons": reasons, "error": error,
                 "at": time.time()}
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.entries[student] = entry

