"""A corpus stream that survives an interrupt: finished articles are kept, ``--resume`` goes on.

While a run lasts, the stream is ``<out>.partial`` and its index ``<out>.names.partial``: one line
per article written (``name<TAB>graph IRI<TAB>byte length``), each line written after its article's
bytes and both flushed to the system, so a Ctrl-C, a SIGTERM or even a ``kill -9`` leaves a prefix
of whole articles and an index of them (at most a torn tail, which the index does not cover and a
resume cuts off). A finished run renames both to ``<out>`` and ``<out>.names``. A resume starts from
the partial pair, or else from a finished stream and its index, and refuses a stream without its
index (or the other way round) rather than guess what it holds.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from kg.errors import OutputError


@dataclass(slots=True, frozen=True)
class Entry:
    """One article in the stream: its output name, its named graph and how many bytes it takes."""

    name: str
    graph: str
    size: int

    def line(self) -> bytes:
        return f"{self.name}\t{self.graph}\t{self.size}\n".encode()


def partial_paths(target: Path) -> tuple[Path, Path]:
    """Where a run writes the stream and its index until it ends."""
    return target.with_name(target.name + ".partial"), target.with_name(target.name + ".names.partial")


def names_path(target: Path) -> Path:
    return target.with_name(target.name + ".names")


def read_index(data: bytes) -> tuple[list[Entry], int]:
    """The whole entries of an index and the bytes they take (a torn or foreign last line is left out).

    A line with only a name (an index written before byte lengths were kept) counts with size -1.
    """
    entries: list[Entry] = []
    used = 0
    for raw in data.splitlines(keepends=True):
        if not raw.endswith(b"\n"):
            break
        fields = raw.decode("utf-8", errors="replace").rstrip("\n").split("\t")
        if len(fields) == 3 and fields[2].isdigit():
            entries.append(Entry(fields[0], fields[1], int(fields[2])))
        elif len(fields) == 1 and fields[0].strip():
            entries.append(Entry(fields[0].strip(), "", -1))
        else:
            break
        used += len(raw)
    return entries, used


class StreamFile:
    """The stream of one run and its index, written article by article (see the module's text)."""

    def __init__(self, target: Path, resume: bool) -> None:
        self.target = target
        self.stream_path, self.index_path = partial_paths(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.entries: list[Entry] = self._resumed() if resume else []
        if not resume:
            for path in (self.stream_path, self.index_path):
                path.write_bytes(b"")
        self.stream = self.stream_path.open("ab")
        self.index = self.index_path.open("ab")
        self.kept = len(self.entries)  # written by an earlier run

    def _resumed(self) -> list[Entry]:
        """What an earlier run finished, with the partial pair cut back to whole articles."""
        stream, index = self.stream_path, self.index_path
        names = names_path(self.target)
        if stream.exists() != index.exists():
            there, missing = (stream, index) if stream.exists() else (index, stream)
            raise OutputError(
                f"{there} is there without {missing}; cannot tell which articles it holds. "
                "Remove it and run without --resume to start afresh"
            )
        if not stream.exists():
            if not self.target.exists() and not names.exists():
                return []  # nothing to resume: a fresh start
            if self.target.exists() != names.exists():
                there, missing = (self.target, names) if self.target.exists() else (names, self.target)
                raise OutputError(
                    f"{there} is there without {missing}; cannot tell which articles are done. "
                    "Remove it and run without --resume to start afresh"
                )
            shutil.copyfile(self.target, stream)
            shutil.copyfile(names, index)
        entries, used = read_index(index.read_bytes())
        length = sum(e.size for e in entries)
        size = stream.stat().st_size
        if any(e.size < 0 for e in entries):  # an old index: no lengths to check or cut by
            length = size
        if size < length:
            raise OutputError(
                f"{stream} is shorter ({size:,} bytes) than its index {index} says ({length:,}); "
                "remove both and run without --resume to start afresh"
            )
        os.truncate(stream, length)  # a torn last article goes
        os.truncate(index, used)
        return entries

    def write(self, name: str, graph: str, payload: bytes) -> None:
        """One article: its bytes, then its index line, each handed to the system at once."""
        self.stream.write(payload)
        self.stream.flush()
        entry = Entry(name, graph, len(payload))
        self.index.write(entry.line())
        self.index.flush()
        self.entries.append(entry)

    def commit(self) -> None:
        """The run is over: the stream and its index take their final names."""
        for handle in (self.stream, self.index):
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        os.replace(self.stream_path, self.target)
        os.replace(self.index_path, names_path(self.target))

    def keep(self) -> None:
        """The run was stopped: what is written stays for ``--resume``."""
        for handle in (self.stream, self.index):
            handle.close()


class StdoutStream:
    """``-o -``: each article's bytes to standard output as it is done (nothing to resume, nothing renamed)."""

    def __init__(self) -> None:
        import sys

        self.target = Path("-")
        self.out = sys.stdout.buffer
        self.entries: list[Entry] = []

    def write(self, name: str, graph: str, payload: bytes) -> None:
        try:
            self.out.write(payload)
            self.out.flush()
        except BrokenPipeError as exc:
            raise OutputError("-: standard output was closed (the reader stopped); nothing more is written") from exc
        self.entries.append(Entry(name, graph, len(payload)))

    def commit(self) -> None:
        pass

    def keep(self) -> None:
        pass
