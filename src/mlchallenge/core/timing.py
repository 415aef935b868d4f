"""Time taken on a challenge, from four records, two of them on the interviewer's machine:

- a bundle's record (``.mlchallenge/bundles/<id>.json`` in the course, written by ``bundle``):
  its id, when it was made and its time limit; the bundle carries the id in ``timing.json``;
- when the workspace was started (``timing.json``'s ``started_at``, written by ``start``) and
  when the notebooks were submitted (``MANIFEST.json``'s ``submitted_at``, by ``submit``): the
  candidate's own machine wrote both, so they are self-reported;
- when the zip was collected (``collected.json``, by ``collect``, the interviewer's clock).

Started to submitted is the time a candidate says they took; it is compared with the limit and
flagged when over, labelled self-reported. Without it, bundle made to collected is an upper
bound from the interviewer's own clocks (it includes the time the bundle and the zip spent
travelling), so it is shown and never flagged: a flag is an accusation.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

TIMING_FILE = "timing.json"
COLLECTED_FILE = "collected.json"
MANIFEST_FILE = "MANIFEST.json"
BUNDLES = Path(".mlchallenge") / "bundles"
FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime(FORMAT)


def parse(text) -> datetime | None:
    try:
        return datetime.strptime(str(text), FORMAT).replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def read_json(path: Path) -> dict:
    """A JSON object from ``path``; {} when it is missing or not a JSON object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def new_bundle(course_root: Path, assignments: list[str], minutes: int, out: str,
               now: datetime | None = None) -> dict:
    """Record a bundle in the course; returns the record (id, made_at, minutes, ...)."""
    record = {"bundle": secrets.token_hex(6), "made_at": stamp(now), "minutes": minutes,
              "assignments": list(assignments), "file": out}
    folder = Path(course_root) / BUNDLES
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / f"{record['bundle']}.json", record)
    return record


def bundle_record(course_root: Path, bundle_id) -> dict:
    if not isinstance(bundle_id, str) or not bundle_id.isalnum():
        return {}
    return read_json(Path(course_root) / BUNDLES / f"{bundle_id}.json")


def start_record(folder: Path, assignment: str, now: datetime | None = None) -> None:
    """Note when a workspace was first started (never overwritten)."""
    path = folder / TIMING_FILE
    record = read_json(path)
    if "started_at" not in record:
        record.update({"assignment": assignment, "started_at": stamp(now)})
        write_json(path, record)


@dataclass
class TimeTaken:
    minutes: float | None  # None: nothing to tell it from
    limit: float | None
    source: str
    self_reported: bool = False

    @property
    def over(self) -> bool:
        """Over the limit, by the candidate's own record (the only one that can say so)."""
        return (self.self_reported and self.minutes is not None and self.limit is not None
                and self.minutes > self.limit)


def time_taken(course_root: Path, submission: Path, default_limit: float | None) -> TimeTaken:
    """What the records in ``submission`` (submitted/<candidate>/<assignment>/) and the course's
    bundle records say about the time taken."""
    timing = read_json(submission / TIMING_FILE)
    manifest = read_json(submission / MANIFEST_FILE)
    collected = read_json(submission / COLLECTED_FILE)
    bundle = bundle_record(course_root, timing.get("bundle") or manifest.get("bundle"))
    limit = bundle.get("minutes") if isinstance(bundle.get("minutes"), int | float) else default_limit
    started = parse(manifest.get("started_at") or timing.get("started_at"))
    submitted = parse(manifest.get("submitted_at"))
    if started and submitted and submitted >= started:
        return TimeTaken((submitted - started).total_seconds() / 60, limit,
                         "self-reported: workspace started to submitted", self_reported=True)
    made, arrived = parse(bundle.get("made_at")), parse(collected.get("collected_at"))
    if made and arrived and arrived >= made:
        return TimeTaken((arrived - made).total_seconds() / 60, limit,
                         "at most: bundle made to zip collected (the interviewer's clocks, "
                         "delivery included)")
    return TimeTaken(None, limit, "not known (no start and submit records, no bundle record)")
