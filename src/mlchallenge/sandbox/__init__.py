"""Grading kernels: sandboxed with bubblewrap, limited, bounded by control groups, started ahead
of time.

- ``settings``: the limits and the bubblewrap command line;
- ``kernels``: a kernel prepared ahead of a notebook, started on its own under bubblewrap;
- ``options``: the kernel options a course configures (``c.GradingExecute.*``), read without
  nbgrader;
- ``factory``: the kernel factory, a sandbox that forks a fresh kernel for each notebook;
- ``offer``: a factory a grading command starts before its workers, handed to the first;
- ``launch``: the pool of each grading process, which keeps the next kernel ready;
- ``manager``: the jupyter_client kernel manager nbgrader's Execute uses;
- ``clients``: kernel clients ready once the kernel says so (grading, and ``mlchallenge check``);
- ``cgroups``: a CPU share, a memory bound and a process bound per factory;
- ``environment``: what kernels inherit (the datasets view, one thread per library);
- ``dataset_view``: the kernels' view of the datasets, kept between runs.

Rule of this layer: it may import ``kernel`` (what runs inside) and ``core``; it knows nothing
of nbgrader's grading or the judges.
"""
