"""The interviewer's side: the bank of challenges (``bank``) and their catalogued attempts
(``attempts``), the candidate bundle (``bundle``), collecting submissions (``collect``), the
reports on a cohort (``reports`` reads, with ``notebooks`` and ``similarity``; ``pages``
writes, with ``item_stats`` and ``figures``), and courses of one's own (``authoring``: init,
new).

Rule of this layer: it may import ``candidate``, ``grading`` and everything below them; only
``dev``, ``api`` and ``cli`` import it.
"""
