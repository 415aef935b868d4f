"""Short answers graded against hashed keys: one normalisation for every question.

A key is the sha256 of the question id and the normalised answer, so the same word hashes
differently in each question and neither ``release/`` nor ``source/`` shows an answer in
clear. ``scripts/hash_answer.py`` prints keys; a challenge's judges compare with them.

The rule (``normalise_answer``), the same for every question, so that an answer is judged on
what it names, not on how it is spelled:

1. words run together in code style are split (``LogisticRegression``, ``RandomForestClassifier``,
   ``GaussianNB``), then case does not matter;
2. punctuation, hyphens, underscores and runs of spaces are one space ("k-means", "high_variance.");
3. articles (a, an, the) are dropped, and plurals are singular ("trees", "SVMs");
4. words that qualify rather than name are dropped: a leading "high", "higher", "more",
   "increased", "towards"; a trailing "classifier", "regressor", "model", "algorithm",
   "learning", "clustering" ("high variance", "unsupervised learning", "decision tree
   classifier");
5. the usual names and acronyms of a model family are that family (``FAMILIES``): "SVM", "SVC"
   and "support vector classifier" are "support vector machine"; "logit" and "LogisticRegression"
   are "logistic regression"; "tree" and "CART" are "decision tree"; "forest" and "RF" are
   "random forest"; "kNN" is "k nearest neighbors"; "OLS" is "linear regression".
"""

from __future__ import annotations

import hashlib
import re

ARTICLES = {"a", "an", "the"}
LEADING = {"high", "higher", "more", "increased", "towards", "toward"}
TRAILING = {"classifier", "classification", "regressor", "model", "algorithm", "learning", "clustering"}
# words that end in "s" without being plural
NOT_PLURAL = {"bayes", "bias", "lasso", "class", "gaussian", "means", "analysis", "less", "loss"}

# family -> its usual other names (spelled any way rule 1-4 allows)
FAMILIES = {
    "support vector machine": ["svm", "svc", "support vector", "support vector classifier",
                               "support vector classification", "kernel svm", "linear svc", "svm classifier"],
    "logistic regression": ["logit", "logistic", "logreg", "log reg", "logistic classifier"],
    "linear regression": ["ols", "least squares", "ordinary least squares", "linear least squares"],
    "decision tree": ["tree", "single tree", "single decision tree", "cart", "dt", "decision tree classifier",
                      "decision tree regressor"],
    "random forest": ["forest", "rf", "random forest classifier", "random forest regressor"],
    "k means": ["kmeans", "k mean"],
    "naive bayes": ["nb", "gaussian nb", "gaussian naive bayes", "multinomial nb"],
    "k nearest neighbors": ["knn", "k nn", "k nearest neighbours", "nearest neighbors",
                            "nearest neighbours", "k neighbors"],
    "gradient boosting": ["gbm", "gbdt", "boosting", "gradient boosted trees", "gradient boosted tree",
                          "xgboost", "lightgbm"],
    "neural network": ["mlp", "multilayer perceptron", "multi layer perceptron", "neural net", "nn"],
}

_CODE_WORDS = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) \
            and word not in NOT_PLURAL:
        return word[:-1]
    return word


def _words(answer: str) -> list[str]:
    text = re.sub(r"\b([A-Z]{2,})s\b", r"\1", answer)  # "SVMs": an acronym's plural
    text = _CODE_WORDS.sub(" ", text).lower()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    return [_singular(w) for w in words if w not in ARTICLES]


def _phrase(answer: str) -> str:
    words = _words(answer)
    while len(words) > 1 and words[0] in LEADING:
        words = words[1:]
    while len(words) > 1 and words[-1] in TRAILING:
        words = words[:-1]
    return " ".join(words)


_FAMILY_OF = {_phrase(name): family for family, names in FAMILIES.items() for name in [family, *names]}


def normalise_answer(answer: str) -> str:
    """The canonical form of a short answer (see the module's docstring): "High-variance." and
    "variance" are the same answer, so are "SVMs", "SVC" and "the support vector machine"."""
    phrase = _phrase(answer)
    return _FAMILY_OF.get(phrase, phrase)


def answer_digest(question: str, answer: str) -> str:
    """The key stored for ``answer`` to ``question``."""
    return hashlib.sha256(f"{question}\n{normalise_answer(answer)}".encode()).hexdigest()
