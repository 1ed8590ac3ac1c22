"""Errors that services raise for the user to read (in Vietnamese)."""


class ServiceError(Exception):
    """A refused write. The message is shown to the user as it is."""

    def __init__(self, message: str, *, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []
