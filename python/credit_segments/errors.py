"""Errors a user can cause, each with a message that names the fix."""


class CreditSegmentsError(Exception):
    """A problem with the input or the settings, not a bug: its message says what to change."""


class InsufficientDataError(CreditSegmentsError):
    """Fewer valid customers than segments."""
