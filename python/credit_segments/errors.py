"""Errors a user can cause, each with a message that names the fix, and how to read the errors
that dbt, DuckDB and Python write into a failed node's message."""

import re

# A Python exception's last line ("credit_segments.errors.InsufficientDataError: Only 3 ..."), and
# a DuckDB error's ("Invalid Input Error: ..."): the message follows the class name.
PYTHON_EXCEPTION_LINE = re.compile(
    r"^(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception): (?P<message>.+)$"
)
DUCKDB_ERROR_LINE = re.compile(r"^(?:[A-Z][a-z]+ )+Error: (?P<message>.+)$")


class CreditSegmentsError(Exception):
    """A problem with the input or the settings, not a bug: its message says what to change."""


class InsufficientDataError(CreditSegmentsError):
    """Fewer valid customers than segments."""
