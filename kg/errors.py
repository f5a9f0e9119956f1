"""Errors a user can act on, each with its own exit code: the one place exit codes are defined.

The CLI catches :class:`KgError` in one place (:mod:`kg.cli`), prints ``str(error)`` on one line
and exits with ``error.exit_code``; library users catch :class:`KgError`. Codes are part of the CLI
contract: scripts branch on them. :data:`MEANINGS` is the table the README and ``kg --help`` show
(a test checks both against it).

Raise the subclass that says what went wrong; :class:`KgError` itself is only the base to catch.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    GRAPH_INVALID = 1
    USAGE = 2
    INPUT_NOT_FOUND = 3
    INPUT_EMPTY = 4
    INPUT_BINARY = 5
    INPUT_ENCODING = 6
    INPUT_TOO_LARGE = 7
    INPUT_FORMAT = 8
    KNOWLEDGE_BASE = 9
    OUTPUT = 10
    STORE = 11
    WIKIDATA = 12
    INTERNAL = 70
    INTERRUPTED = 130  # 128 + SIGINT, as shells report it
    TERMINATED = 143  # 128 + SIGTERM


MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success (extract, validate, load: every graph conforms)",
    ExitCode.GRAPH_INVALID: "a graph breaks the shapes (extract: not written); `kg kb`: the entity is not in the KB",
    ExitCode.USAGE: "usage error, or an RDF/gold file that cannot be read or parsed",
    ExitCode.INPUT_NOT_FOUND: "input not found, or not readable (permission denied)",
    ExitCode.INPUT_EMPTY: "input empty",
    ExitCode.INPUT_BINARY: "input is binary",
    ExitCode.INPUT_ENCODING: "input is not UTF-8",
    ExitCode.INPUT_TOO_LARGE: "input larger than `--max-bytes` (default 5 MB)",
    ExitCode.INPUT_FORMAT: "input in a form `extract` does not read (a malformed JSONL line, HTML in a .txt)",
    ExitCode.KNOWLEDGE_BASE: "knowledge base missing or unreadable",
    ExitCode.OUTPUT: "output cannot be written (directory not writable, or two inputs with the same name)",
    ExitCode.STORE: "a store could not be reached, timed out or refused (`kg load`, `kg query`)",
    ExitCode.WIKIDATA: "Wikidata could not be reached or answered something unusable (`kg kb add`)",
    ExitCode.INTERNAL: "internal error (reported per article; the batch goes on)",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C); `extract` keeps what it wrote for `--resume`",
    ExitCode.TERMINATED: "stopped by SIGTERM; `extract` keeps what it wrote for `--resume`",
}


def exit_code_table() -> str:
    """The exit codes as the README's Markdown table."""
    rows = [f"| {int(code)} | {meaning} |" for code, meaning in MEANINGS.items()]
    return "\n".join(["| code | meaning |", "|---|---|", *rows])


def exit_code_help(codes: Iterable[ExitCode] | None = None) -> str:
    """The exit codes (all, or ``codes``) as ``--help`` lists them: one line each, for click's verbatim block."""
    shown = sorted(set(codes)) if codes is not None else list(MEANINGS)
    return "\n".join(f"  {int(code):>3}  {MEANINGS[code].replace('`', '')}" for code in shown)


class KgError(Exception):
    """Base class: a message that says what went wrong and what to do next.

    Not raised itself; if it is (or a subclass forgets its code), the code is that of an internal error.
    """

    exit_code: ExitCode = ExitCode.INTERNAL


class InternalError(KgError):
    """A bug in kg, reported with the input that caused it (the batch goes on)."""

    exit_code = ExitCode.INTERNAL


class UsageError(KgError):
    """Options or arguments that do not go together, or a query or option value that kg cannot use."""

    exit_code = ExitCode.USAGE


class GraphInvalid(KgError):
    """The extracted graph breaks the SHACL shapes; it was not written."""

    exit_code = ExitCode.GRAPH_INVALID


class NotInKnowledgeBase(KgError):
    """``kg kb show``/``kg kb add``: an entity the knowledge base does not have (or Wikidata did not give)."""

    exit_code = ExitCode.GRAPH_INVALID


class GraphUnreadable(KgError):
    """An RDF file that is missing, of a kind kg does not read, or does not parse."""

    exit_code = ExitCode.USAGE


class GraphUnvalidated(GraphUnreadable):
    """pyshacl, the reference engine, failed on a graph it read (an ill-formed date it cannot compare, say)."""


class GoldUnreadable(KgError):
    """A gold file of ``kg eval`` that cannot be read."""

    exit_code = ExitCode.USAGE


class InputNotFound(KgError):
    exit_code = ExitCode.INPUT_NOT_FOUND


class InputEmpty(KgError):
    exit_code = ExitCode.INPUT_EMPTY


class InputBinary(KgError):
    exit_code = ExitCode.INPUT_BINARY


class InputEncoding(KgError):
    exit_code = ExitCode.INPUT_ENCODING


class InputTooLarge(KgError):
    exit_code = ExitCode.INPUT_TOO_LARGE


class InputFormat(KgError):
    """A readable file in a format this command does not take (HTML, say)."""

    exit_code = ExitCode.INPUT_FORMAT


class KnowledgeBaseError(KgError):
    exit_code = ExitCode.KNOWLEDGE_BASE


class OutputError(KgError):
    """The graph could not be written where asked (unwritable, or two inputs share a name)."""

    exit_code = ExitCode.OUTPUT


class StoreError(KgError):
    """The store cannot be reached or refused the request; the message says which and why."""

    exit_code = ExitCode.STORE


class StoreUnreachable(StoreError):
    """No connection could be made: nothing was sent, and later requests will fare no better."""


class StoreNoAnswer(StoreError):
    """A request went out and no answer came (a timeout, a dropped connection): it may or may not have been applied."""


class WikidataError(KgError):
    """Wikidata could not be reached or answered something unusable."""

    exit_code = ExitCode.WIKIDATA
