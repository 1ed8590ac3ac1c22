"""Errors that services raise for the user to read (in Vietnamese)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ServiceError(Exception):
    """A refused write. The message is shown to the user as it is."""

    def __init__(self, message: str, *, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


class ConflictError(ServiceError):
    """Someone else saved the same thing since the form was opened: nothing was overwritten."""


def require_permission(condition: bool, message: str = "") -> None:
    """A visible object the user may not change answers 403 (the API too)."""
    if not condition:
        raise PermissionDenied(message or "Tài khoản không có quyền thực hiện thao tác này.")


def shown_version(version) -> int:
    """The version an edit form showed, as posted (-1 when missing or garbled: never current)."""
    try:
        return int(version)
    except (TypeError, ValueError):
        return -1
