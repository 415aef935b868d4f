"""Tiered hints for a challenge's tasks, shown one tier at a time from inside the notebook.

    from hints import hint      # the hints.py next to the notebook (no kit needed)
    hint()                      # which tasks have hints, and how many you have taken
    hint("test-impute-leakage") # the next tier for that task: a nudge first, the method last

Every hint taken is recorded, with the time, in ``hints_used.json`` beside the notebook; it
travels with the submission, so the interviewer sees which help was used. Asking again for a
tier already seen (``hint(task, tier=1)``) shows it without recording anything new.

This file is self-contained (standard library only): ``mlchallenge start`` (and a candidate's
bundle) writes a copy of it next to the notebook with the challenge's hints filled into
``_DATA`` (base64, so later tiers are not read by accident). Imported from the installed kit as
``mlchallenge.candidate.hints``, ``_DATA`` is empty and the hints are read from the ``hints.py`` in the
current folder (the notebook's).
"""

from __future__ import annotations

import ast
import base64
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import cast

USED_FILE = "hints_used.json"
HINTS_FILE = "hints.py"
# Set in the kernel `mlchallenge check` runs the notebook in: a hint() call left in the notebook
# then shows what was already taken and takes no new tier.
NO_NEW_HINTS = "MLCHALLENGE_NO_NEW_HINTS"

# Filled in by write_hints_file: base64 of JSON {"assignment": ..., "hints": {task: [tiers]}}
_DATA = ""


def encode(assignment: str, hints: dict[str, list[str]]) -> str:
    payload = json.dumps({"assignment": assignment, "hints": hints})  # in notebook order
    return base64.b64encode(payload.encode("utf-8")).decode("ascii")


def decode(data: str) -> tuple[str, dict[str, list[str]]]:
    payload = json.loads(base64.b64decode(data).decode("utf-8"))
    return payload["assignment"], {k: list(v) for k, v in payload["hints"].items()}


def write_hints_file(folder: Path, assignment: str, hints: dict[str, list[str]]) -> Path:
    """Write a self-contained hints.py for ``assignment`` into ``folder``: this module's own
    source with the hints encoded into ``_DATA``."""
    source = Path(__file__).read_text(encoding="utf-8")
    filled = source.replace('\n_DATA = ""\n', f'\n_DATA = "{encode(assignment, hints)}"\n', 1)
    if filled == source:
        raise RuntimeError("hints.py has no empty _DATA line to fill")
    target = Path(folder) / HINTS_FILE
    target.write_text(filled, encoding="utf-8")
    return target


def read_hints_file(path: Path) -> tuple[str, dict[str, list[str]]]:
    """The assignment and hints held by a hints.py written by ``write_hints_file``."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], "id", None) == "_DATA"
                and isinstance(node.value, ast.Constant) and node.value.value):
            return decode(cast(str, node.value.value))  # write_hints_file writes a str literal
    raise ValueError(f"{path} holds no hints")


def _source() -> tuple[str, dict[str, list[str]], Path]:
    """(assignment, hints, folder where hints_used.json goes)."""
    if _DATA:
        assignment, hints = decode(_DATA)
        return assignment, hints, Path(__file__).resolve().parent
    here = Path.cwd()
    if not (here / HINTS_FILE).is_file():
        raise FileNotFoundError(
            f"no {HINTS_FILE} in {here}: run this from the challenge's folder "
            "(the one `mlchallenge start` made, which holds the notebook)")
    assignment, hints = read_hints_file(here / HINTS_FILE)
    return assignment, hints, here


def read_used(folder: Path, assignment: str) -> dict:
    path = Path(folder) / USED_FILE
    if path.is_file():
        record = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(record, dict) and isinstance(record.get("used"), list):
            record.setdefault("assignment", assignment)
            return record
    return {"assignment": assignment, "used": []}


def write_used(folder: Path, record: dict) -> None:
    path = Path(folder) / USED_FILE
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def _resolve(task: str, hints: dict[str, list[str]]) -> str:
    for candidate in (task, f"test-{task}"):
        if candidate in hints:
            return candidate
    raise ValueError(f"no hints for {task!r}; tasks with hints: {', '.join(sorted(hints))}")


def hint(task: str | None = None, tier: int | None = None) -> None:
    """Print the next hint tier for ``task`` (a test cell's name, as
    `mlchallenge check` prints it, e.g. "test-impute-leakage"), and record it in
    hints_used.json. ``tier=N`` shows a tier already taken again, without recording it.
    Without a task: list the tasks that have hints and how many tiers you have taken.
    (It prints rather than returns, so a notebook shows the hint once, as plain text.)"""
    print(hint_text(task, tier))


def hint_text(task: str | None = None, tier: int | None = None) -> str:
    """What ``hint`` prints (and records, as ``hint`` does)."""
    assignment, hints, folder = _source()
    record = read_used(folder, assignment)
    taken: dict[str, int] = {}
    for entry in record["used"]:
        name = entry.get("task")
        taken[name] = max(taken.get(name, 0), int(entry.get("tier", 0)))
    if task is None:
        lines = [f"hints for {assignment}: call hint(TASK) for the next tier of a task"]
        lines += [f"  {name}: {taken.get(name, 0)} of {len(tiers)} taken"
                  for name, tiers in hints.items()]
        return "\n".join(lines)
    name = _resolve(task, hints)
    tiers = hints[name]
    seen = taken.get(name, 0)
    if tier is not None and not 1 <= tier <= len(tiers):
        raise ValueError(f"{name} has tiers 1 to {len(tiers)}")
    if tier is not None and tier > seen + 1:
        raise ValueError(f"take the hints for {name} in order: the next one is tier {seen + 1}")
    if tier is not None and tier <= seen:
        shown = tier
    elif os.environ.get(NO_NEW_HINTS):
        if not seen:
            return f"{name}: no hint taken yet (hints are not taken while the notebook is checked)"
        shown = seen
    elif seen >= len(tiers):
        shown = len(tiers)
    else:
        shown = seen + 1
        record["used"].append({"task": name, "tier": shown,
                               "at": datetime.now(timezone.utc).strftime(  # noqa: UP017 - runs on Python < 3.11 too
                                   "%Y-%m-%dT%H:%M:%SZ")})
        write_used(folder, record)
    more = ("this is the last hint for this task" if shown == len(tiers)
            else f"hint({name!r}) again for tier {shown + 1}")
    return f"{name}, hint {shown} of {len(tiers)}:\n{tiers[shown - 1]}\n({more})"
