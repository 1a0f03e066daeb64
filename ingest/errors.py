"""Errors a person can act on. The CLI prints them; the app shows them; nobody sees a traceback."""

from __future__ import annotations


class VeivalgError(Exception):
    """Base for every error whose message is meant for a user (in Norwegian)."""


class LoadError(VeivalgError):
    """One file could not be read. Ingestion reports it and carries on with the rest."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class IndexProblem(VeivalgError):
    """The index is unreadable, or was built in a way the settings do not match."""


class IndexMissing(IndexProblem):
    """No index has been built yet."""
