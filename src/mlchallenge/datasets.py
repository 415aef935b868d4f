"""Real datasets under datasets/, checksum-verified, and their public / hidden splits.

Each dataset is split once, deterministically, into a *public* part that
candidates receive (copied into source/<assignment>/data/) and a *hidden*
part that only grading sees. Hidden tests refit a candidate's pipeline on
the public rows plus half of the hidden rows and score it on the other half,
with a different half for each seed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from .errors import KitError


@dataclass(frozen=True)
class Dataset:
    name: str
    filename: str
    sha256: str
    target: str
    public_fraction: float
    split_seed: int
    stratify: bool = True  # classification targets: keep class proportions in every split


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
}


def datasets_dir() -> Path:
    """The datasets/ folder: $MLCHALLENGE_DATASETS, else the one beside this package's clone."""
    override = os.environ.get("MLCHALLENGE_DATASETS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "datasets"


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


def load(name: str) -> pd.DataFrame:
    """The full dataset, after checking its sha256 against the one recorded here."""
    spec = _spec(name)
    path = datasets_dir() / spec.filename
    if not path.is_file():
        raise KitError(
            f"dataset file {path} is missing; restore it with `git checkout -- datasets/` "
            "or set MLCHALLENGE_DATASETS to the folder that holds it"
        )
    actual = sha256_of(path)
    if actual != spec.sha256:
        raise KitError(
            f"dataset file {path} has sha256 {actual}, expected {spec.sha256}: the file was "
            "changed or corrupted; restore it with `git checkout -- datasets/`"
        )
    return pd.read_csv(path)


def _split_index(spec: Dataset, frame: pd.DataFrame) -> tuple[pd.Index, pd.Index]:
    public, hidden = train_test_split(
        frame.index,
        train_size=spec.public_fraction,
        random_state=spec.split_seed,
        stratify=frame[spec.target] if spec.stratify else None,
    )
    return pd.Index(sorted(public)), pd.Index(sorted(hidden))


def public_split(name: str) -> pd.DataFrame:
    """The rows candidates receive, with the target column, in file order."""
    spec = _spec(name)
    frame = load(name)
    public, _ = _split_index(spec, frame)
    return frame.loc[public].reset_index(drop=True)


def hidden_split(name: str) -> pd.DataFrame:
    """The rows only grading sees, with the target column, in file order."""
    spec = _spec(name)
    frame = load(name)
    _, hidden = _split_index(spec, frame)
    return frame.loc[hidden].reset_index(drop=True)


@dataclass(frozen=True)
class GradingFold:
    """One seed's refit-and-score data: fit on X_train / y_train, score on X_test / y_test."""

    X_train: pd.DataFrame
    y_train: pd.Series
    X_test: pd.DataFrame
    y_test: pd.Series


def grading_fold(name: str, seed: int) -> GradingFold:
    """Public rows plus half of the hidden rows to fit on, the other hidden half to score on."""
    spec = _spec(name)
    public = public_split(name)
    hidden = hidden_split(name)
    hidden_train, hidden_test = train_test_split(
        hidden, test_size=0.5, random_state=seed,
        stratify=hidden[spec.target] if spec.stratify else None,
    )
    train = pd.concat([public, hidden_train], ignore_index=True)
    test = hidden_test.reset_index(drop=True)
    return GradingFold(
        X_train=train.drop(columns=spec.target),
        y_train=train[spec.target],
        X_test=test.drop(columns=spec.target),
        y_test=test[spec.target],
    )
