"""The kit's nbgrader preprocessors, one per file, named in the course's ``nbgrader_config.py``
in the order autograde runs them:

- ``restore.RestoreCells``: nbgrader's OverwriteCells, restoring deleted tests in place;
- ``metadata.CheckCellMetadata``: nbgrader's check of the cells' metadata, its schema checked
  once per process (after sanitising, and again last);
- ``execute.GradingExecute``: nbgrader's Execute, with the kernel sandboxed and limited;
- ``judge.JudgeHiddenTests``: the verdict of each hidden test, decided in this process;
- ``score.ScoreHiddenPredictions``: hidden-test predictions scored against the labels.

Rule of this layer: it may import ``judging``, ``sandbox``, ``kernel`` (its constants) and
``core``; ``grading`` runs nbgrader, which loads these by name.
"""
