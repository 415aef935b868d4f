"""Grading kernels: sandboxed with bubblewrap, limited, bounded by control groups, started ahead
of time.

- ``settings``: the limits and the bubblewrap command line;
- ``launch``: one kernel started on its own, or forked from a factory, and the pools of them;
- ``manager``: the jupyter_client kernel manager nbgrader's Execute uses;
- ``cgroups``: a CPU share, a memory bound and a process bound per factory;
- ``environment``: what kernels inherit (the datasets view, one thread per library).

Rule of this layer: it may import ``kernel`` (what runs inside) and ``core``; it knows nothing
of nbgrader's grading or the judges.
"""
