"""Errors a user can act on, each with its own exit code.

The CLI prints ``str(error)`` on one line and exits with ``error.exit_code``; library users
catch :class:`KgError`. Codes are part of the CLI contract: scripts branch on them.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class: a message that says what went wrong and what to do next."""

    exit_code = 70


class GraphInvalid(KgError):
    """The extracted graph breaks the SHACL shapes; it was not written."""

    exit_code = 1


class InputNotFound(KgError):
    exit_code = 3


class InputEmpty(KgError):
    exit_code = 4


class InputBinary(KgError):
    exit_code = 5


class InputEncoding(KgError):
    exit_code = 6


class InputTooLarge(KgError):
    exit_code = 7


class InputFormat(KgError):
    """A readable file in a format this command does not take (HTML, say)."""

    exit_code = 8


class KnowledgeBaseError(KgError):
    exit_code = 9


class OutputError(KgError):
    """The graph could not be written where asked (unwritable, or two inputs share a name)."""

    exit_code = 10
