"""The one error type the CLI turns into a one-line message and exit code 2."""


class KitError(Exception):
    """Bad input from a user: says what is wrong and what to do about it."""
