"""One small exception hierarchy: every error newsds raises on purpose is a NewsdsError."""

from __future__ import annotations


class NewsdsError(Exception):
    """Root of every error newsds raises on purpose; the CLI turns these into clean messages."""


class ParseError(NewsdsError):
    """A raw file could not become a document. `reason` is the stable code used in the rejected table."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class SchemaValidationError(NewsdsError):
    """A table failed its pandera schema or a cross-table check; `report` holds every failure."""

    def __init__(self, message: str, report: dict[str, object]) -> None:
        super().__init__(message)
        self.report = report


class ReleaseError(NewsdsError):
    """Something is wrong with a release: missing, unknown, or not what its manifest says."""


class ReleaseExistsError(ReleaseError):
    """Publishing would overwrite an existing, immutable release."""


class ChecksumError(ReleaseError):
    """A release file does not match the sha256 recorded in its manifest."""


class AnnotationError(NewsdsError):
    """An annotation file cannot be read at all (not the format it claims to be)."""
