"""mlchallenge: notebook coding challenges for machine-learning interviews, graded with nbgrader."""

__version__ = "0.1.0"
