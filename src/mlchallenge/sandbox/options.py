"""The grading kernels' options as a course configures them (``c.GradingExecute.memory_mb`` and
the rest), and the :class:`KernelSettings` they make.

``GradingExecute`` (nbgrader's Execute, :mod:`mlchallenge.preprocessors.execute`) takes these
options as its own. They are declared here, away from nbgrader and nbconvert, so that a grading
command can read a course's settings before it has loaded them (:func:`configured_settings`),
and start a kernel factory at once (:mod:`mlchallenge.sandbox.offer`).
"""

from __future__ import annotations

import os
from typing import Any

from traitlets import Bool, HasTraits, Integer, TraitError, Unicode

from mlchallenge.core.dataset_specs import VIEW_SHA256_VARIABLE
from mlchallenge.sandbox.settings import THREAD_VARIABLES, KernelSettings, Limits

# The configuration sections GradingExecute reads, the most specific first: the names of its
# configurable classes (a test holds this to ``GradingExecute.section_names()``).
EXECUTE_SECTIONS = ("GradingExecute", "Execute", "NbGraderPreprocessor", "ExecutePreprocessor",
                    "Preprocessor", "NbConvertBase", "NotebookClient", "LoggingConfigurable",
                    "Configurable")


class SandboxOptions(HasTraits):
    """The kernel options of ``GradingExecute``, configured as ``c.GradingExecute.<name>``."""

    sandbox = Bool(True, help="Run grading kernels in a bubblewrap sandbox.").tag(config=True)
    notebook_timeout = Integer(900, help="Seconds one notebook may run in all.").tag(config=True)
    memory_mb = Integer(4096, help="Address-space limit of the kernel, in MB.").tag(config=True)
    max_processes = Integer(64, help="Processes the kernel's user may run.").tag(config=True)
    max_output_kb = Integer(1024, help="Output kept per notebook, in kB.").tag(config=True)
    max_result_kb = Integer(65536, help="Results the hidden tests emit for the judges (and model "
                            "predictions), kept per notebook, in kB.").tag(config=True)
    max_file_mb = Integer(512, help="Largest file the kernel may write, in MB.").tag(config=True)
    max_tmp_mb = Integer(512, help="Size of each of the kernel's own /tmp, $HOME and /dev/shm "
                         "(tmpfs, held in memory), in MB.").tag(config=True)
    max_tmp_files = Integer(20000, help="Files each of the kernel's /tmp, $HOME and /dev/shm may "
                            "hold (kernels forked from a factory).").tag(config=True)
    max_work_mb = Integer(512, help="Size of the kernel's work folder (/home/candidate/work: "
                          "the submission and what the kernel writes there; a tmpfs, held in "
                          "memory), in MB (kernels forked from a factory).").tag(config=True)
    max_work_files = Integer(20000, help="Files the kernel's work folder may hold (kernels "
                             "forked from a factory).").tag(config=True)
    fork_kernels = Bool(True, help="Fork sandboxed kernels from one process per grading worker "
                        "that imported the common libraries once (needs root; otherwise each "
                        "kernel is started on its own).").tag(config=True)
    kernel_datasets = Unicode("", help="Folder handed to grading kernels as their datasets "
                              "(MLCHALLENGE_DATASETS): a view without the hidden test labels. "
                              "Default: $MLCHALLENGE_DATASETS when set, else a view the kit "
                              "writes of the kit's datasets folder.").tag(config=True)
    kernel_datasets_sha256 = Unicode("", help="sha256 of that view's manifest, which the "
                                     "kernel checks (set with kernel_datasets).").tag(config=True)
    scratch_dir = Unicode("", help="Folder the kernels' own folders are made in (default: the "
                          "system's temporary folder).").tag(config=True)

    def kernel_settings(self, timeout: int | None, datasets: str | None,
                        datasets_sha256: str) -> KernelSettings:
        """The settings of these options, with ``timeout`` seconds a cell and ``datasets`` (its
        view's checksum ``datasets_sha256``, or "") as the kernels' datasets."""
        limits = Limits(cell_seconds=timeout or 0, notebook_seconds=self.notebook_timeout,
                        memory_mb=self.memory_mb, processes=self.max_processes,
                        output_kb=self.max_output_kb, file_mb=self.max_file_mb,
                        tmp_mb=self.max_tmp_mb, tmp_files=self.max_tmp_files,
                        work_mb=self.max_work_mb, work_files=self.max_work_files)
        # thread counts: one per numerical library, unless whoever grades chose a number
        threads = tuple((name, os.environ.get(name, "1")) for name in THREAD_VARIABLES)
        if datasets_sha256:  # lets the kernel check its datasets view
            threads += ((VIEW_SHA256_VARIABLE, datasets_sha256),)
        return KernelSettings(sandbox=self.sandbox, limits=limits, datasets=datasets,
                              threads=threads, fork=self.fork_kernels,
                              scratch=self.scratch_dir or None)


def configured_settings(config, **chosen: Any) -> KernelSettings | None:
    """The settings ``GradingExecute(config=config)`` makes once ``chosen`` options are set on
    top (as a grading run sets the datasets view and the scratch folder), read from ``config``
    without loading nbgrader. None when they cannot be told here: a value the options refuse,
    no datasets view chosen, or no cell ``timeout`` configured (its default is nbgrader's)."""
    names = [*SandboxOptions.class_trait_names(config=True), "timeout"]
    values: dict[str, Any] = {}
    for name in names:
        for section in EXECUTE_SECTIONS:
            if config._has_section(section) and name in config[section]:
                values[name] = config[section][name]
                break
    values.update(chosen)
    if "timeout" not in values or not values.get("kernel_datasets"):
        return None
    timeout = values.pop("timeout")
    if timeout is not None and (not isinstance(timeout, int) or isinstance(timeout, bool)):
        return None
    try:
        options = SandboxOptions(**values)
    except (TraitError, TypeError, ValueError):
        return None
    return options.kernel_settings(timeout, options.kernel_datasets, options.kernel_datasets_sha256)
