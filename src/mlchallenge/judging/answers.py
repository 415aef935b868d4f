"""Short answers graded against hashed keys: one normalisation for every question.

A key is the sha256 of the question id and the normalised answer, so the same word hashes
differently in each question and neither ``release/`` nor ``source/`` shows an answer in
clear. ``scripts/hash_answer.py`` prints keys; a challenge's judges compare with them.
"""

from __future__ import annotations

import hashlib
import re


def normalise_answer(answer: str) -> str:
    """Lower case, outer spaces and a final full stop dropped, inner runs of spaces, hyphens
    and underscores made one space: "High-variance." and "high variance" are the same answer."""
    text = re.sub(r"[\s_\-]+", " ", answer.strip().lower())
    return text.rstrip(".!").strip()


def answer_digest(question: str, answer: str) -> str:
    """The key stored for ``answer`` to ``question``."""
    return hashlib.sha256(f"{question}\n{normalise_answer(answer)}".encode()).hexdigest()
