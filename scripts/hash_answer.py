"""Print the hashed keys a hidden test stores for short answers.

    .venv/bin/python scripts/hash_answer.py QUESTION_ID ANSWER [ANSWER ...]

Each accepted spelling is normalised (see mlchallenge.judging.answers) and hashed with the
question id; paste the digests into the accepted keys of the challenge's judges.py.
"""

from __future__ import annotations

import sys

from mlchallenge.judging.answers import answer_digest


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    question, answers = argv[0], argv[1:]
    for answer in answers:
        print(f'"{answer_digest(question, answer)}",  # {answer}')
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
