"""The interviewer's side: the bank of challenges (``bank``), the candidate bundle (``bundle``),
collecting submissions (``collect``), and the reports on a cohort (``reports``, ``item_stats``,
``figures``).

Rule of this layer: it may import ``candidate``, ``grading`` and everything below them; only
``dev``, ``api`` and ``cli`` import it.
"""
