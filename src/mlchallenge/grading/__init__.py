"""``mlchallenge grade``: nbgrader's autograde for many submissions, locally or on Dask.

- ``service``: ``grade`` and ``release``, what the api calls;
- ``runner``: the run (local worker processes), progress, a pool that survives a dead worker;
- ``worker``: the unit of work, one submission autograded into a worker's private gradebook;
- ``writer``: the one writer of the course's gradebook;
- ``journal``: what was graded with which files, so a rerun skips it;
- ``results``: one result per submission, and the table;
- ``cluster``: the same unit of work on a Dask cluster.

Rule of this layer: it may import ``preprocessors`` and everything below; no module of it
imports one that imports it back (import-linter holds both).
"""
