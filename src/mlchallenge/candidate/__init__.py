"""The candidate's side: the workspace (``workspace``: start, submit), the public tests run
locally (``check``), practice grading with the hidden tests (``practice``), and the tiered hints
(``hints``, also copied as a self-contained ``hints.py`` next to the notebook).

Rule of this layer: it may import ``grading`` (practice grading) and everything below it.
"""
