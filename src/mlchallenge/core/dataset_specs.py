"""What the kit knows of each dataset before reading it: its file, checksum, target and how it is
split; where datasets/ is; the manifest of a kernel view. Light (no numpy, pandas or
scikit-learn), so a grading command can tell whether a kernel view it kept still fits the
files without loading the libraries that write one (:mod:`mlchallenge.kernel.datasets`)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from mlchallenge.core.errors import KitError


@dataclass(frozen=True)
class Dataset:
    name: str
    filename: str
    sha256: str
    target: str
    public_fraction: float
    split_seed: int  # the public / hidden split; split_seed + 1 splits hidden into train / test
    stratify: bool = True  # classification targets: keep class proportions in every split
    # the same rows shipped inside an installed package (a path below the package's folder):
    # hidden from grading kernels, which could otherwise look the hidden-test labels up there
    installed_copies: tuple[str, ...] = ()


# The share of the hidden rows whose labels are withheld from the grading kernel.
HIDDEN_TEST_FRACTION = 0.5
# The manifest of a kernel view, and the variable that carries its sha256 to the kernel (a
# notebook that rewrites the view is caught by the next kernel, whose environment it cannot
# change).
VIEW_MANIFEST = "kernel-view.json"
VIEW_SHA256_VARIABLE = "MLCHALLENGE_DATASETS_SHA256"

# Bound at import (the grading kernel imports this module before candidate code runs), so a
# notebook that replaces hashlib.sha256 cannot change how the hidden data is verified.
_sha256 = hashlib.sha256

DATASETS: dict[str, Dataset] = {
    "credit_data": Dataset(
        name="credit_data",
        filename="credit_data.csv",
        sha256="64984b2aff14d24ebdeb5a051d992194f03d0dc8f250372b9e37c4e653ba678d",
        target="Status",
        public_fraction=0.6,
        split_seed=20240601,
    ),
    "breast_cancer": Dataset(
        name="breast_cancer",
        filename="breast_cancer.csv",
        sha256="af399a019264f7999e6b395ee90576e46564867aa4c8a40797c96be87dc1be55",
        target="diagnosis",
        public_fraction=0.6,
        split_seed=20240602,
        installed_copies=("sklearn/datasets/data/breast_cancer.csv",),  # load_breast_cancer()
    ),
    "telco_churn": Dataset(
        name="telco_churn",
        filename="telco_churn.csv",
        sha256="863e369c3a03cea2bd20d696e572eb5fb064e04657744504deb7b6249b92f66e",
        target="churn",
        public_fraction=0.6,
        split_seed=20240603,
    ),
    "ames_housing": Dataset(
        name="ames_housing",
        filename="ames_housing.csv",
        sha256="dc27fa1fc372a976b35142e88a9d8f86f31500efe45a3935999bbeddef0b8a98",
        target="Sale_Price",
        public_fraction=0.6,
        split_seed=20240604,
        stratify=False,
    ),
    "digits": Dataset(
        name="digits",
        filename="digits.csv",
        sha256="592cc047d0a1cc7fdef9fd724514209dcb45a80aa147dc3ab375e3e1a9a380f4",
        target="digit",
        public_fraction=0.6,
        split_seed=20240605,
        installed_copies=("sklearn/datasets/data/digits.csv.gz",),  # load_digits()
    ),
    "reported_heights": Dataset(
        name="reported_heights",
        filename="reported_heights.csv",
        sha256="0576cf7d97419cf5db7caa229d41ab00c0bf24aa9e08f81d86ac244138e5875b",
        # no label to predict: the entry number stands in as the target, so the hidden rows
        # (hidden_features) keep every raw column
        target="entry",
        public_fraction=0.6,
        split_seed=20240606,
        stratify=False,
    ),
}


def datasets_dir() -> Path:
    """The datasets/ folder: $MLCHALLENGE_DATASETS, else the one beside this package's clone,
    else the one an installed kit ships (``mlchallenge/course_files/datasets``)."""
    override = os.environ.get("MLCHALLENGE_DATASETS")
    if override:
        return Path(override)
    here = Path(__file__).resolve()
    clone = here.parents[3] / "datasets"
    packaged = here.parents[1] / "course_files" / "datasets"
    return packaged if packaged.is_dir() and not clone.is_dir() else clone


def sha256_of(path: Path) -> str:
    digest = _sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _spec(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(sorted(DATASETS))
        raise KitError(f"unknown dataset {name!r}; known datasets: {known}") from None


def is_kernel_view(folder: Path) -> bool:
    """Whether ``folder`` is a kernels' view of the datasets (which withholds the labels)."""
    return (Path(folder) / VIEW_MANIFEST).is_file()


def view_sha256(view: Path) -> str:
    """The sha256 of a kernel view's manifest (what ``VIEW_SHA256_VARIABLE`` carries)."""
    return sha256_of(Path(view) / VIEW_MANIFEST)
