"""nbgrader's configuration for this course, with the kit's parts plugged in.

Every plain `nbgrader` command (generate_assignment, autograde, formgrader)
run from this folder reads this file, and so does `mlchallenge`.
"""

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "mlchallenge"
# source/, release/, submitted/, autograded/, feedback/ live beside this file;
# nbgrader runs from the course root, so the default root (the current folder) is right.
# manifest.toml stays in source/: it holds the hints (given to candidates one tier at a time by
# hints.py, see mlchallenge.candidate.hints) and the interviewer's follow-up questions.
# judges.py (each hidden test's judge, run by the grading process) never leaves source/ either.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", ".DS_Store", "manifest.toml",
                            "judges.py"]

# A candidate who deleted a test cell gets it back (and is graded on it)
# instead of an ungradeable notebook.
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "mlchallenge.preprocessors.restore.RestoreCells",  # OverwriteCells, restoring deleted tests in place
    "mlchallenge.preprocessors.metadata.CheckCellMetadata",  # nbgrader's, its schema checked once
]
c.RestoreCells.add_missing_cells = True

# The stub a candidate sees in place of each solution.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# The kernel only produces; the grading process judges. GradingExecute runs the
# notebook in a sandboxed kernel, where each hidden test calls the candidate's
# functions and emits what they returned. JudgeHiddenTests then decides each
# hidden test here, in the grading process: it rebuilds the test's inputs from
# the instructor's source (restored by OverwriteCells) and runs the test's judge
# from source/<assignment>/judges.py on the emitted results. Model tasks emit
# predictions for the hidden-test rows, whose labels the kernel never holds, and
# ScoreHiddenPredictions scores them with the spec written in the cell's source.
c.Autograde.autograde_preprocessors = [
    "mlchallenge.preprocessors.execute.GradingExecute",
    "mlchallenge.preprocessors.judge.JudgeHiddenTests",
    "mlchallenge.preprocessors.score.ScoreHiddenPredictions",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "mlchallenge.preprocessors.metadata.CheckCellMetadata",
]
# What one grading kernel may use (README, "Grading untrusted code"); these are the defaults.
c.GradingExecute.timeout = 120  # seconds per cell
c.GradingExecute.notebook_timeout = 900  # seconds per notebook
c.GradingExecute.memory_mb = 4096  # address space
c.GradingExecute.max_processes = 64
c.GradingExecute.max_output_kb = 1024  # output kept per notebook
c.GradingExecute.max_result_kb = 65536  # results the hidden tests emit for the judges
c.GradingExecute.max_file_mb = 512  # largest file the kernel may write
c.GradingExecute.max_tmp_mb = 512  # each of its /tmp, $HOME and /dev/shm (tmpfs, in memory)
c.GradingExecute.max_tmp_files = 20000  # files in each of them
c.GradingExecute.max_work_mb = 512  # its work folder, the submission included (tmpfs, in memory)
c.GradingExecute.max_work_files = 20000  # files in its work folder
