"""Developer tools that work on a clone of the repository or a course made by ``init``:
``mlchallenge demo`` (``demo``: every catalogued attempt graded), and throwaway local
services for the tests (``local_services``: PostgreSQL, a Dask cluster).

Rule of this layer: nothing of the product imports it, except ``api`` for ``mlchallenge demo``.
"""
