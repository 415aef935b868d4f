"""`mlchallenge collect`: candidates' zips into nbgrader's submitted/<candidate>/<assignment>/.

Each zip is handled on its own; one that does not fit is rejected with a one-line reason and the
others are still collected. What a zip may look like:

- the bundle's folder zipped back (``missing-data/missing-data.ipynb`` + ``data/``), at any depth
  (``some/dir/missing-data/missing-data.ipynb``), with several assignments in one zip;
- a notebook saved under another name (``missing-data (1).ipynb``, ``Untitled.ipynb``): the
  assignment is recognised by the nbgrader cell ids inside the notebook, and the notebook is put
  back under the assignment's name;
- a zip written by ``mlchallenge submit``: its ``MANIFEST.json`` (sha256 of each file) is checked
  and kept, and its ``hints_used.json`` and ``timing.json`` are kept beside the notebook, where
  the report reads them; ``collected.json`` records when the zip was collected.

Which candidate: ``--candidate ID`` when given, else the zip's file name without the assignment
names, dates and times, copy suffixes such as `` (1)`` and the word "submission"
(``ada-lovelace_missing-data_2026-11-24.zip`` -> ``ada-lovelace``).

An existing submission is never overwritten unless ``replace`` is set.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import nbformat

from mlchallenge.core import cells as nbcells
from mlchallenge.core import text_table, timing
from mlchallenge.core.course import Course
from mlchallenge.core.errors import KitError

IGNORED_PARTS = {"__MACOSX", ".ipynb_checkpoints", "__pycache__", ".git"}
MAX_UNCOMPRESSED_MB = 200
CANDIDATE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_COPY_SUFFIX = re.compile(r"(\s*\(\d+\)|[ _-]copy(\s*\d+)?)$", re.IGNORECASE)
_DATE_TIME = re.compile(r"\d{4}-?\d{2}-?\d{2}([T_ -]?\d{2}[:.-]?\d{2}([:.-]?\d{2})?Z?)?")


@dataclass
class Collected:
    """What became of one assignment found in one zip (or of a whole zip that was rejected)."""

    zip: Path
    candidate: str = ""
    assignment: str = ""
    folder: Path | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def candidate_from_filename(path: Path, assignments: list[str]) -> str:
    """The candidate id a zip's name gives, or '' when nothing is left of it."""
    stem = path.name[:-4] if path.name.lower().endswith(".zip") else path.stem
    stem = _COPY_SUFFIX.sub("", stem.strip())
    for name in sorted(assignments, key=len, reverse=True):
        stem = re.sub(re.escape(name), " ", stem, flags=re.IGNORECASE)
    stem = _DATE_TIME.sub(" ", stem)
    stem = re.sub(r"\b(submission|submit|mlchallenge)\b", " ", stem, flags=re.IGNORECASE)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem)
    return re.sub(r"[-_.]{2,}", "-", stem).strip("-_.")


def _expected_notebooks(course: Course) -> dict[str, dict[str, set[str]]]:
    """assignment -> notebook stem -> the nbgrader cell ids of that release notebook."""
    known: dict[str, dict[str, set[str]]] = {}
    for assignment in course.assignments():
        folder = course.root / "release" / assignment
        if not folder.is_dir():
            folder = course.root / "source" / assignment
        for path in sorted(folder.glob("*.ipynb")):
            notebook = json.loads(path.read_text(encoding="utf-8"))
            ids = {gid for c in notebook.get("cells", []) if (gid := nbcells.grade_id(c)) is not None}
            known.setdefault(assignment, {})[path.stem] = ids
    return known


def _usable(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not any(p in IGNORED_PARTS or p.startswith(".") or p.startswith("._")
                                   for p in parts)


def _identify(stem: str, folder_parts: tuple[str, ...], grade_ids: set[str],
              known: dict[str, dict[str, set[str]]]) -> tuple[str, str] | None:
    """(assignment, notebook stem) a notebook found in a zip belongs to, or None."""
    plain = _COPY_SUFFIX.sub("", stem)
    for assignment, notebooks in known.items():
        for expected in notebooks:
            if plain == expected:
                return assignment, expected
    # the notebook's own nbgrader cells say which release notebook it was made from
    best = max(((len(grade_ids & ids) / max(len(ids), 1), assignment, expected)
                for assignment, notebooks in known.items() for expected, ids in notebooks.items()),
               default=(0.0, "", ""))
    if best[0] >= 0.5:
        return best[1], best[2]
    for part in reversed(folder_parts):
        if part in known and len(known[part]) == 1:
            return part, next(iter(known[part]))
    return None


def _check_manifest(extracted: Path, manifest: dict) -> list[str]:
    """Files listed in a MANIFEST.json whose sha256 differs from the one recorded at submit."""
    files = manifest.get("files", {})
    if isinstance(files, list):
        files = {f.get("path"): f.get("sha256") for f in files if isinstance(f, dict)}
    changed = []
    for name, expected in files.items() if isinstance(files, dict) else []:
        if not isinstance(name, str) or not isinstance(expected, str):
            continue
        path = extracted / name
        if not path.is_file():
            continue
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != expected.lower():
            changed.append(name)
    return changed


def _extract(archive: zipfile.ZipFile, into: Path) -> None:
    total = 0
    for info in archive.infolist():
        if info.is_dir() or not _usable(info.filename):
            continue
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            continue  # a symbolic link: never recreated
        target = (into / info.filename).resolve()
        if into.resolve() not in target.parents:
            raise KitError(f"the zip holds a path outside its folder ({info.filename})")
        total += info.file_size
        if total > MAX_UNCOMPRESSED_MB << 20:
            raise KitError(f"the zip unpacks to more than {MAX_UNCOMPRESSED_MB} MB")
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)


def _collect_zip(course: Course, path: Path, candidate: str | None, replace: bool,
                 known: dict[str, dict[str, set[str]]], taken: dict[tuple[str, str], Path]
                 ) -> list[Collected]:
    if not path.is_file():
        return [Collected(path, error="no such file")]
    if not zipfile.is_zipfile(path):
        return [Collected(path, error="not a zip archive")]
    who = candidate or candidate_from_filename(path, list(known))
    if not who or not CANDIDATE_ID.match(who):
        return [Collected(path, error=f"cannot tell the candidate from the file name {path.name!r}; "
                                      "pass --candidate ID")]
    with tempfile.TemporaryDirectory(prefix="mlchallenge-collect-") as scratch:
        unpacked = Path(scratch)
        try:
            with zipfile.ZipFile(path) as archive:
                _extract(archive, unpacked)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            return [Collected(path, who, error=f"the zip cannot be read ({exc})")]
        except UnicodeDecodeError:
            return [Collected(path, who, error="the zip cannot be read (an entry's name is marked UTF-8 "
                                               "but is not): zip the files again")]
        except KitError as exc:
            return [Collected(path, who, error=str(exc))]
        notebooks = sorted(p for p in unpacked.rglob("*.ipynb") if p.is_file())
        if not notebooks:
            return [Collected(path, who, error="no notebook (.ipynb) in the zip")]
        found: dict[str, list[tuple[Path, str]]] = {}
        for notebook in notebooks:
            try:
                content = nbformat.read(notebook, as_version=4)
            except Exception as exc:  # noqa: BLE001 - any unreadable notebook is a reason
                detail = " ".join(str(exc).split())[:100] or type(exc).__name__
                return [Collected(path, who, error=f"{notebook.name} is not a valid notebook ({detail})")]
            ids = {gid for c in content.cells if (gid := nbcells.grade_id(c)) is not None}
            parts = notebook.relative_to(unpacked).parent.parts
            match = _identify(notebook.stem, parts, ids, known)
            if match is None and len(notebooks) == 1 and len(known) == 1:
                match = next((a, next(iter(nbs))) for a, nbs in known.items())
            if match is None:
                return [Collected(path, who, error=f"{notebook.name} matches no assignment of this "
                                                   "course (no known notebook name or cells)")]
            found.setdefault(match[0], []).append((notebook, match[1]))
        results = []
        for assignment, items in found.items():
            others = {nb for a, more in found.items() if a != assignment for nb, _ in more}
            results.append(_place(course, path, who, assignment, items, others, unpacked, replace,
                                  taken))
        return results


def _place(course: Course, path: Path, who: str, assignment: str, items: list[tuple[Path, str]],
           others: set[Path], unpacked: Path, replace: bool,
           taken: dict[tuple[str, str], Path]) -> Collected:
    result = Collected(path, who, assignment)
    earlier = taken.get((who, assignment))
    if earlier is not None:
        result.error = f"{who}/{assignment} already comes from {earlier.name} in this run"
        return result
    target = course.root / "submitted" / who / assignment
    if target.exists() and not replace:
        result.error = (f"submitted/{who}/{assignment}/ already exists; pass --replace to "
                        "overwrite it")
        return result
    staging = Path(tempfile.mkdtemp(prefix="mlchallenge-place-"))
    try:
        _stage(course, result, assignment, items, others, unpacked, staging)
        if target.exists():
            shutil.rmtree(target)
            result.notes.append("replaced the earlier submission")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    taken[(who, assignment)] = path
    result.folder = target
    return result


def _stage(course: Course, result: Collected, assignment: str, items: list[tuple[Path, str]],
           others: set[Path], unpacked: Path, staging: Path) -> None:
    """Lay the submission out in ``staging`` as nbgrader expects it."""
    exact = {nb.stem for nb, expected in items if nb.stem == expected}
    # the folder the notebook sits in is the candidate's copy of the assignment folder
    home = items[0][0].parent
    for source in home.rglob("*"):
        if source.is_file() and source not in others:
            rel = source.relative_to(home)
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, staging / rel)
    for notebook, expected in items:
        if notebook.parent != home:
            shutil.copy2(notebook, staging / notebook.name)
        if notebook.stem != expected and expected not in exact:
            (staging / notebook.name).replace(staging / f"{expected}.ipynb")
            exact.add(expected)
            result.notes.append(f"{notebook.name} renamed to {expected}.ipynb")
    for extra in ("MANIFEST.json", "hints_used.json"):
        if not (staging / extra).exists() and (unpacked / extra).is_file():
            shutil.copy2(unpacked / extra, staging / extra)
    manifest_path = staging / "MANIFEST.json"
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            root = unpacked if (unpacked / "MANIFEST.json").is_file() else home
            changed = _check_manifest(root, manifest if isinstance(manifest, dict) else {})
            if changed:
                result.notes.append("changed after submit (sha256 differs): " + ", ".join(changed))
            else:
                result.notes.append("MANIFEST.json checksums match")
        except ValueError:
            result.notes.append("MANIFEST.json is not valid JSON (kept as is)")
    # public files the candidate did not send back (the data, say) come from the release
    release = course.root / "release" / assignment
    added = []
    for public in sorted(release.rglob("*")) if release.is_dir() else []:
        rel = public.relative_to(release)
        if public.is_file() and public.suffix != ".ipynb" and public.name != "manifest.toml" \
                and not (staging / rel).exists():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(public, staging / rel)
            added.append(str(rel))
    if added:
        result.notes.append(f"added from release/: {', '.join(added[:3])}"
                            + (f" and {len(added) - 3} more" if len(added) > 3 else ""))
    # when it arrived, on the interviewer's clock (a file of that name in the zip is replaced)
    timing.write_json(staging / timing.COLLECTED_FILE, {"collected_at": timing.stamp()})


def collect(course: Course, zips: list[Path], candidate: str | None = None,
            replace: bool = False) -> list[Collected]:
    """Collect each zip into submitted/; one entry per assignment collected or per zip refused."""
    if candidate is not None and not CANDIDATE_ID.match(candidate):
        raise KitError(f"--candidate {candidate!r} is not a usable id: letters, digits, '.', '_' "
                       "and '-', starting with a letter or digit, at most 64 characters")
    known = _expected_notebooks(course)
    if not known:
        raise KitError(f"{course.root} has no assignments to collect into")
    taken: dict[tuple[str, str], Path] = {}
    results: list[Collected] = []
    for path in zips:
        try:
            results.extend(_collect_zip(course, Path(path), candidate, replace, known, taken))
        except Exception as exc:  # noqa: BLE001 - one bad zip never stops the others
            results.append(Collected(Path(path), error=f"could not be collected ({type(exc).__name__}: "
                                                       f"{' '.join(str(exc).split())[:200]})"))
    return results


def format_table(results: list[Collected]) -> str:
    rows = []
    for r in results:
        if r.ok:
            status = "collected" + (f" ({'; '.join(r.notes)})" if r.notes else "")
        else:
            status = f"REJECTED: {r.error}"
        rows.append((r.zip.name, r.candidate or "-", r.assignment or "-", status))
    return text_table.render(("zip", "candidate", "assignment", "status"), rows)
