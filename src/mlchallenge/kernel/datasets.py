"""Real datasets under datasets/, checksum-verified, and their public / hidden splits.

Each dataset is split once, deterministically, into a *public* part that
candidates receive (copied into source/<assignment>/data/) and a *hidden*
part that only grading sees. The hidden part is split once more, into
*hidden-train* rows, whose labels the grading kernel may see (property checks
and the rows a candidate's pipeline is refitted on), and *hidden-test* rows,
whose labels never enter the kernel: the kernel gets their features, predicts,
and the grading process scores the predictions (``mlchallenge.preprocessors.score``).

A grading kernel reads a *kernel view* of datasets/ (``write_kernel_view``):
the same files with the hidden-test labels removed, plus a manifest that
records the splits (which need the full labels to compute) and the files'
checksums. Every function below works the same on the full files and on a
view, except the ones that need the hidden-test labels, which refuse in a view.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from mlchallenge.core.dataset_specs import (
    DATASETS,
    HIDDEN_TEST_FRACTION,
    VIEW_MANIFEST,
    VIEW_SHA256_VARIABLE,
    Dataset,
    _sha256,
    _spec,
    datasets_dir,
    is_kernel_view,
    sha256_of,
    view_sha256,
)
from mlchallenge.core.errors import KitError

__all__ = ["DATASETS", "HIDDEN_TEST_FRACTION", "VIEW_MANIFEST", "VIEW_SHA256_VARIABLE", "Dataset",
           "GradingFold", "datasets_dir", "grading_fold", "hidden_features", "hidden_split",
           "hidden_test_labels", "is_kernel_view", "load", "public_split", "sha256_of",
           "view_sha256", "write_kernel_view"]


# Files read and verified in this process, by path and the file's identity: a hidden test's
# inputs are built from the same file many times (in the kernel, and again when the grading
# process replays the test), so each file is hashed and parsed once.
_read: dict[tuple, pd.DataFrame] = {}


def _verified_csv(path: Path, expected: str, restore: str) -> pd.DataFrame:
    if not path.is_file():
        raise KitError(f"dataset file {path} is missing; {restore}")
    info = path.stat()
    key = (str(path.resolve()), expected, info.st_ino, info.st_size, info.st_mtime_ns)
    if key not in _read:
        actual = sha256_of(path)
        if actual != expected:
            raise KitError(
                f"dataset file {path} has sha256 {actual}, expected {expected}: the file was "
                f"changed or corrupted; {restore}"
            )
        if len(_read) >= 8:  # a few datasets at a time; drop the oldest read
            del _read[next(iter(_read))]
        _read[key] = pd.read_csv(path)
    return _read[key].copy()


def _view_manifest(folder: Path) -> dict | None:
    """The manifest of a kernel view in ``folder``, or None when ``folder`` holds full files."""
    path = folder / VIEW_MANIFEST
    if not path.is_file():
        return None
    raw = path.read_bytes()
    expected = os.environ.get(VIEW_SHA256_VARIABLE)
    if expected and _sha256(raw).hexdigest() != expected:
        raise KitError(f"{path} was changed after the grader wrote it")
    return json.loads(raw)


def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """The full dataset (from ``folder``, else ``datasets_dir()``), after checking its sha256
    against the one recorded here. A kernel view has no full dataset: it withholds labels."""
    spec = _spec(name)
    folder = datasets_dir() if folder is None else Path(folder)
    if is_kernel_view(folder):
        raise KitError(
            f"{folder} is a grading kernel's view of the datasets: the hidden test labels are "
            "not in it (they are scored by the grading process)"
        )
    return _verified_csv(
        folder / spec.filename, spec.sha256,
        "restore it with `git checkout -- datasets/` or set MLCHALLENGE_DATASETS to the folder "
        "that holds it",
    )


def _split_index(spec: Dataset, frame: pd.DataFrame) -> tuple[pd.Index, pd.Index]:
    public, hidden = train_test_split(
        frame.index,
        train_size=spec.public_fraction,
        random_state=spec.split_seed,
        stratify=frame[spec.target] if spec.stratify else None,
    )
    return pd.Index(sorted(public)), pd.Index(sorted(hidden))


def _hidden_index(spec: Dataset, frame: pd.DataFrame, hidden: pd.Index) -> tuple[pd.Index, pd.Index]:
    train, test = train_test_split(
        hidden,
        test_size=HIDDEN_TEST_FRACTION,
        random_state=spec.split_seed + 1,
        stratify=frame.loc[hidden, spec.target] if spec.stratify else None,
    )
    return pd.Index(sorted(train)), pd.Index(sorted(test))


@dataclass(frozen=True)
class _Parts:
    """A dataset's rows (file order) and which rows are public, hidden-train and hidden-test.
    In a kernel view the target of the hidden-test rows is missing (``labels_withheld``)."""

    frame: pd.DataFrame
    public: pd.Index
    hidden_train: pd.Index
    hidden_test: pd.Index
    labels_withheld: bool
    target_dtype: str | None = None  # a view's numeric target: its type in the full file


# Splits made in this process, by dataset and the identity of the files they came from: the
# judges and the hidden tests ask for the same dataset's rows many times a notebook. Nothing
# changes a _Parts: every reader takes rows out of its frame into a new one.
_splits: dict[tuple, _Parts] = {}


def _identity(path: Path) -> tuple | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), info.st_ino, info.st_size, info.st_mtime_ns)


def _parts(name: str, folder: Path | None = None) -> _Parts:
    spec = _spec(name)
    folder = datasets_dir() if folder is None else Path(folder)
    key = (name, _identity(folder / spec.filename), _identity(folder / VIEW_MANIFEST))
    if key[1] is not None and key in _splits:
        return _splits[key]
    parts = _read_parts(spec, folder)
    if key[1] is not None:
        if len(_splits) >= 16:  # a few datasets at a time; drop the oldest split
            del _splits[next(iter(_splits))]
        _splits[key] = parts
    return parts


def _read_parts(spec: Dataset, folder: Path) -> _Parts:
    name = spec.name
    manifest = _view_manifest(folder)
    if manifest is None:
        frame = load(name, folder)
        public, hidden = _split_index(spec, frame)
        hidden_train, hidden_test = _hidden_index(spec, frame, hidden)
        return _Parts(frame, public, hidden_train, hidden_test, labels_withheld=False)
    entry = manifest.get("datasets", {}).get(name)
    if entry is None:
        raise KitError(f"dataset {name!r} is not in the kernel view {folder}")
    frame = _verified_csv(folder / spec.filename, entry["sha256"],
                          "the grader writes the kernel view afresh for each grading run")
    return _Parts(frame, pd.Index(entry["public"]), pd.Index(entry["hidden_train"]),
                  pd.Index(entry["hidden_test"]), labels_withheld=True,
                  target_dtype=entry.get("target_dtype"))


def _labelled_rows(spec: Dataset, parts: _Parts, rows: pd.Index) -> pd.DataFrame:
    out = parts.frame.loc[rows].reset_index(drop=True)
    if parts.target_dtype and str(out[spec.target].dtype) != parts.target_dtype:
        # a numeric target read back from a view, where some cells are blank, comes back as
        # float: the labelled rows get the full file's type back
        out[spec.target] = out[spec.target].astype(parts.target_dtype)
    return out


def public_split(name: str) -> pd.DataFrame:
    """The rows candidates receive, with the target column, in file order."""
    spec = _spec(name)
    parts = _parts(name)
    return _labelled_rows(spec, parts, parts.public)


def hidden_split(name: str) -> pd.DataFrame:
    """The hidden-train rows, with the target column, in file order: the hidden rows whose
    labels grading kernels may see."""
    spec = _spec(name)
    parts = _parts(name)
    return _labelled_rows(spec, parts, parts.hidden_train)


def hidden_features(name: str) -> pd.DataFrame:
    """Every hidden row (hidden-train and hidden-test), without the target column, in file
    order: for checks that need unseen data but no labels."""
    spec = _spec(name)
    parts = _parts(name)
    rows = parts.hidden_train.append(parts.hidden_test).sort_values()
    return parts.frame.loc[rows].drop(columns=spec.target).reset_index(drop=True)


def hidden_test_labels(name: str, folder: Path | None = None) -> pd.Series:
    """The labels of the hidden-test rows, in the order of ``grading_fold(name).X_test``.
    For the grading process only: a kernel view does not hold them."""
    spec = _spec(name)
    parts = _parts(name, folder)
    if parts.labels_withheld:
        raise KitError("the hidden test labels are not in a grading kernel's view of the datasets")
    return _labelled_rows(spec, parts, parts.hidden_test)[spec.target]


@dataclass(frozen=True)
class GradingFold:
    """What a grading kernel refits on and predicts for: fit on X_train / y_train (the public
    and hidden-train rows), predict X_test (the hidden-test rows, whose labels it never sees)."""

    X_train: pd.DataFrame
    y_train: pd.Series
    X_test: pd.DataFrame


def grading_fold(name: str, seed: int = 0) -> GradingFold:
    """Public plus hidden-train rows to fit on, in an order shuffled by ``seed``; the
    hidden-test rows' features, in file order, to predict."""
    spec = _spec(name)
    parts = _parts(name)
    train = pd.concat([_labelled_rows(spec, parts, parts.public),
                       _labelled_rows(spec, parts, parts.hidden_train)], ignore_index=True)
    order = np.random.default_rng(seed).permutation(len(train))
    train = train.iloc[order].reset_index(drop=True)
    test = parts.frame.loc[parts.hidden_test].drop(columns=spec.target).reset_index(drop=True)
    return GradingFold(
        X_train=train.drop(columns=spec.target),
        y_train=train[spec.target],
        X_test=test,
    )


def write_kernel_view(dest: Path, source: Path | None = None) -> Path:
    """Write into ``dest`` the datasets a grading kernel may read: each file of ``source`` (by
    default ``datasets_dir()``) with the hidden-test labels blanked, and a manifest with the
    splits and the files' sha256. Files and folder are left read-only. Returns ``dest``; the
    sha256 of its manifest is what ``VIEW_SHA256_VARIABLE`` should carry to the kernel."""
    source = datasets_dir() if source is None else Path(source)
    if is_kernel_view(source):
        raise KitError(f"{source} is already a kernel view; write the view from the full files")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"format": 1, "datasets": {}}
    for name, spec in sorted(DATASETS.items()):
        if not (source / spec.filename).is_file():
            continue  # load() in the kernel says the file is missing, as it would here
        parts = _parts(name, source)
        frame = parts.frame.copy()
        if not pd.api.types.is_numeric_dtype(frame[spec.target]):
            frame[spec.target] = frame[spec.target].astype(object)
        frame.loc[parts.hidden_test, spec.target] = None
        path = dest / spec.filename
        frame.to_csv(path, index=False)
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        manifest["datasets"][name] = {
            "sha256": sha256_of(path),
            "target_dtype": (str(parts.frame[spec.target].dtype)
                             if pd.api.types.is_numeric_dtype(parts.frame[spec.target]) else None),
            "public": [int(i) for i in parts.public],
            "hidden_train": [int(i) for i in parts.hidden_train],
            "hidden_test": [int(i) for i in parts.hidden_test],
        }
    path = dest / VIEW_MANIFEST
    path.write_text(json.dumps(manifest), encoding="utf-8")
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    dest.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    return dest
