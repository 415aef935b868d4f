"""Write each model challenge's lookup trick into its catalogue (tests/submissions/).

A lookup "model" never learns: it carries a copy of the public dataset the challenge's rows come
from (every hidden row with its label, as a candidate can paste a public download into a
notebook) and predicts each row by finding it there. The table is stored compressed in the
attempt, keyed by a hash of the row's numeric features (categories can be replaced by unseen
ones in the grader's rows; the numbers are not). Run again after a dataset changes:

    .venv/bin/python scripts/lookup_attempts.py
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
NAME = "trick-lookup-public-data"

# assignment: (dataset file, target, what the model predicts, the positive label, how the lookup
# is handed to the grader); each attempt's expected score is kept from the file it rewrites
CHALLENGES = {
    "dimensionality-reduction": ("breast_cancer.csv", "diagnosis", "label", None, "build"),
    "normalisation": ("breast_cancer.csv", "diagnosis", "label", None, "build"),
    "missing-data": ("credit_data.csv", "Status", "proba", "bad", "build"),
    "take-home-churn": ("telco_churn.csv", "churn", "proba", "Yes", "build"),
    "take-home-ames": ("ames_housing.csv", "Sale_Price", "price", None, "build"),
    "feature-engineering": ("ames_housing.csv", "Sale_Price", "price", None, "build"),
    "model-selection": ("telco_churn.csv", "churn", "proba", "Yes", "chosen"),
    "hyperparameter-tuning": ("credit_data.csv", "Status", "proba", "bad", "tune"),
    "neural-networks": ("digits.csv", "digit", "label", None, "build"),
}

KEY = '''
def _key(values):
    """A row's numeric features, rounded, hashed: the same row gives the same key."""
    text = "|".join("nan" if v != v else f"{float(v):.6g}" for v in values)
    return _hashlib.sha1(text.encode()).hexdigest()[:12]
'''

ROWS = '''

def _rows(X):
    """The numeric features of a frame, or of an array with the dataset's columns in order."""
    return X[_NUMBERS] if hasattr(X, "columns") else pd.DataFrame(np.asarray(X), columns=_NUMBERS)
'''


def key(values) -> str:
    text = "|".join("nan" if v != v else f"{float(v):.6g}" for v in values)
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def table(frame: pd.DataFrame, target: str) -> tuple[list[str], str]:
    numbers = [c for c in frame.columns if c != target and pd.api.types.is_numeric_dtype(frame[c])]
    rows: dict[str, object] = {}
    for values, label in zip(frame[numbers].itertuples(index=False), frame[target], strict=True):
        value = label.item() if hasattr(label, "item") else label
        rows.setdefault(key(values), value)
    packed = base64.b64encode(zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 9))
    return numbers, packed.decode()


def estimator(kind: str, positive, numbers: list[str], packed: str) -> str:
    lines = [textwrap_b64(packed), KEY, f"_NUMBERS = {numbers!r}", ROWS]
    if kind == "price":
        lines += ['''
class _Lookup(BaseEstimator, RegressorMixin):
    """Ignores its training rows but for a fallback; predicts each row's price from the table."""

    def fit(self, X, y):
        self.fallback_ = float(np.median(y))
        return self

    def predict(self, X):
        return np.array([_TABLE.get(_key(row), self.fallback_)
                         for row in _rows(X).itertuples(index=False)], dtype=float)
''']
    else:
        lines += [f'''
class _Lookup(BaseEstimator, ClassifierMixin):
    """Ignores its training rows but for the classes; predicts each row's label from the table."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.fallback_ = pd.Series(y).mode()[0]
        return self

    def predict(self, X):
        return np.array([_TABLE.get(_key(row), self.fallback_)
                         for row in _rows(X).itertuples(index=False)], dtype=object)

    def predict_proba(self, X):
        hit = (self.predict(X) == {positive!r}).astype(float)
        column = list(self.classes_).index({positive!r})
        out = np.zeros((len(hit), len(self.classes_)))
        out[:, column] = hit
        out[:, 1 - column] = 1 - hit
        return out
''']
    return "\n".join(lines)


def textwrap_b64(packed: str, width: int = 96) -> str:
    chunks = [packed[i:i + width] for i in range(0, len(packed), width)]
    body = "\n".join(f'    "{chunk}"' for chunk in chunks)
    return ("import base64 as _b64\nimport hashlib as _hashlib\nimport json as _json\n"
            "import zlib as _zlib\n\n"
            "from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin\n\n"
            f"_TABLE = _json.loads(_zlib.decompress(_b64.b64decode(\n{body}\n)))")


HEADER = """# A model that never learns: it carries a copy of the public {dataset} data (every hidden
# row with its label, as a candidate can paste the public download into a notebook) and predicts
# each row by finding its numbers there. On the hidden rows it scores like a perfect model.
# The grader holds the model task for review: {held}.
# The other tasks are the reference's.
# Written by scripts/lookup_attempts.py.
# expect: {expect}
# base: reference
# flag: held
"""


_HELD = ("refitted on shuffled labels it scores the same\n"
         "# and predicts the same (it did not learn from its training labels)")


def hand_over(how: str) -> tuple[str, str]:
    """(the cell it replaces, the code that hands the lookup to the grader)."""
    if how == "build":
        return "pipeline", '''

def build_pipeline():
    return _Lookup()
'''
    if how == "chosen":
        return "chosen", '''

_their_models = candidate_models


def candidate_models():
    models = dict(_their_models())
    models["lookup"] = _Lookup()
    return models


CHOSEN = "lookup"
'''
    return "tune", '''

def tune(X, y):
    return _Lookup().fit(X, y)
'''


# tune() hands the grader a model it fitted itself (no refit on shuffled labels there): the
# ceiling holds it
_HOW_HELD = {"hyperparameter-tuning": "its score is beyond what sound\n# solutions reach (the "
                                      "model tune() returns is not refitted on shuffled labels)"}


def main() -> None:
    expected = _expected()
    for assignment, (filename, target, kind, positive, how) in CHALLENGES.items():
        frame = pd.read_csv(ROOT / "datasets" / filename)
        numbers, packed = table(frame, target)
        cell, handing = hand_over(how)
        text = (HEADER.format(dataset=filename.removesuffix(".csv"),
                              expect=expected.get(assignment, "?"),
                              held=_HOW_HELD.get(assignment, _HELD))
                + f"# %% cell: {cell}\n" + estimator(kind, positive, numbers, packed) + handing)
        if assignment in _OTHERS:
            other = _OTHERS[assignment].split("(")[0].removeprefix("def ")
            text = text.replace("# %% cell: pipeline\n",
                                f"# ({other} shares the cell and is left unwritten.)\n"
                                "# %% cell: pipeline\n" + _OTHERS[assignment])
        path = ROOT / "tests" / "submissions" / assignment / f"{NAME}.py"
        path.write_text(text, encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(text) // 1024} kB")


# the other functions the replaced cell defines, left unwritten (they lose their own points)
_OTHERS = {
    "dimensionality-reduction": "def pca_cv_scores(X, y, components, folds):\n"
                                "    raise NotImplementedError()\n\n\n",
    "feature-engineering": "def add_date_features(frame):\n    raise NotImplementedError()\n\n\n",
}


def _expected() -> dict[str, str]:
    """The expectation each attempt already declares (kept when the tables are written again)."""
    found = {}
    for assignment in CHALLENGES:
        path = ROOT / "tests" / "submissions" / assignment / f"{NAME}.py"
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.startswith("# expect:"):
                    found[assignment] = line.split(":", 1)[1].strip()
    return found


if __name__ == "__main__":
    main()
