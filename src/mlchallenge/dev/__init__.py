"""Developer tools that work on a clone of the repository: the catalogued attempts under
``tests/submissions`` (``attempts``), ``mlchallenge demo`` (``demo``), and throwaway local
services for the tests (``local_services``: PostgreSQL, a Dask cluster).

Rule of this layer: nothing of the product imports it, except ``api`` for ``mlchallenge demo``.
"""
