"""The candidate's side: the workspace (``workspace``: start, check, grade --self, submit) and
the tiered hints (``hints``, also copied as a self-contained ``hints.py`` next to the notebook).

Rule of this layer: it may import ``grading`` (practice grading) and everything below it.
"""
