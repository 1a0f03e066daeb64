"""Errors a person can act on. The CLI prints them; the app shows them; nobody sees a traceback."""

from __future__ import annotations

from typing import Self


class VeivalgError(Exception):
    """Base for every error whose message is meant for a user (in Norwegian).

    ``code`` names the entry of ``ingest/error_catalogue.py`` the message comes from; ``of`` raises
    by code, so the words are written once. Subclasses set their own default code.
    """

    code = "VEIVALG"

    @classmethod
    def of(cls, code: str, **values: object) -> Self:
        from ingest.error_catalogue import message

        error = cls(message(code, **values))
        error.code = code
        return error


class LoadError(VeivalgError):
    """One file could not be read. Ingestion reports it and carries on with the rest."""

    code = "LOAD_FAILED"

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class IndexProblem(VeivalgError):
    """The index is unreadable, or was built in a way the settings do not match."""

    code = "INDEX_PROBLEM"


class IndexMissing(IndexProblem):
    """No index has been built yet."""

    code = "INDEX_MISSING"
