"""The grading kernels' view of the datasets (the files with the hidden-test labels blanked, and a
manifest of the splits: :func:`mlchallenge.kernel.datasets.write_kernel_view`), kept between
grading runs.

Writing a view reads every dataset with pandas and splits it with scikit-learn: about two
seconds of CPU, most of it importing the two, in a grading command that needs neither before
its workers start. A view depends only on the dataset files, how the kit splits them and the
libraries that write it, so a sandboxed run keeps the view it writes in the user's cache folder
(``$XDG_CACHE_HOME/mlchallenge/kernel-views``, else ``~/.cache/mlchallenge/kernel-views``),
named by a digest of all of those (:func:`view_key`). The next run with the same digest takes it
after checking every file against the view's manifest; anything else writes a new one.

Only sandboxed runs keep a view: their kernels see it read-only and reach nothing else of the
grader's, so no candidate can change what a later run reads. Kernels run without the sandbox
are the grader's own user, who owns the cache: their view is written in the run's scratch
folder and removed with it, as before. A kept view not used for ``KEPT_DAYS`` is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from mlchallenge.core import dataset_specs as specs
from mlchallenge.core.files import remove_tree

FORMAT = 1  # what a kept view holds; a change here makes every kept view stale
KEPT_DAYS = 14
LIBRARIES = ("numpy", "pandas", "scikit-learn")  # they read, split and write the files


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mlchallenge" / "kernel-views"


def view_key(source: Path) -> str:
    """What a view of ``source`` depends on, as a digest: each dataset file present (its
    sha256), the kit's split of it (the specs and the code that splits and writes), the
    libraries' versions."""
    files = {name: specs.sha256_of(source / spec.filename)
             for name, spec in sorted(specs.DATASETS.items()) if (source / spec.filename).is_file()}
    here = Path(specs.__file__).resolve()
    splitter = here.parents[1] / "kernel" / "datasets.py"  # read, not imported: no pandas here
    code = {path.name: specs.sha256_of(path) for path in (here, splitter)}
    described = {
        "format": FORMAT,
        "datasets": {name: asdict(spec) for name, spec in sorted(specs.DATASETS.items())},
        "hidden_test_fraction": specs.HIDDEN_TEST_FRACTION,
        "files": files,
        "code": code,
        "libraries": {name: metadata.version(name) for name in LIBRARIES},
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:32]


def kernel_view(source: Path, scratch: Path, *, keep: bool) -> Path:
    """A kernel view of the dataset files in ``source``: the kept one (see the module) when
    ``keep``, else one written in ``scratch/datasets``. No cache folder to keep it in (a
    read-only or unknown home) or a library whose version cannot be read is no error: the run
    writes its own."""
    if keep:
        try:
            return _kept(Path(source))
        except (OSError, RuntimeError, metadata.PackageNotFoundError):
            pass
    return _write(Path(source), Path(scratch) / "datasets")


def _write(source: Path, dest: Path) -> Path:
    from mlchallenge.kernel import datasets  # pandas and scikit-learn, only to write a view

    return Path(datasets.write_kernel_view(dest, source)).resolve()


def _kept(source: Path) -> Path:
    root = cache_root()
    key = view_key(source)
    folder = root / key
    if intact(folder):
        with contextlib.suppress(OSError):
            os.utime(folder)  # used now: not removed as unused
        return folder.resolve()
    root.mkdir(parents=True, exist_ok=True)
    _remove_unused(root, key)
    if folder.exists():  # changed or half removed: written again
        remove_tree(folder)
    building = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=root))
    try:
        _write(source, building / "view")
        try:
            (building / "view").rename(folder)
        except OSError:  # another run kept the same view meanwhile: that one is used
            if not intact(folder):
                raise
    finally:
        remove_tree(building)
    return folder.resolve()


def intact(folder: Path) -> bool:
    """Whether ``folder`` is a kernel view whose files are the ones its manifest names."""
    try:
        manifest = json.loads((folder / specs.VIEW_MANIFEST).read_bytes())
        entries = manifest["datasets"]
        return manifest.get("format") == 1 and all(
            specs.sha256_of(folder / specs.DATASETS[name].filename) == entry["sha256"]
            for name, entry in entries.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _remove_unused(root: Path, key: str) -> None:
    """Kept views (and folders of writes that were stopped) unused for ``KEPT_DAYS``."""
    oldest = time.time() - KEPT_DAYS * 86400
    for child in root.iterdir():
        if child.name == key or child.is_symlink() or not child.is_dir():
            continue
        with contextlib.suppress(OSError):
            if child.stat().st_mtime < oldest:
                remove_tree(child)
