"""Files written whole or not at all: beside the target first, then renamed over it."""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path


@cache
def _umask() -> int:
    """The process's umask, read once: from /proc where there is one (reading it there changes nothing),
    else by setting it and putting it back (done once, so no other thread sees the brief change twice)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def honour_umask(path: Path) -> None:
    """Give a file made private by ``tempfile`` (0600) the mode a plain ``open()`` would have given it,
    so output renamed into place reads like its neighbours (0644 under the usual umask 022)."""
    os.chmod(path, 0o666 & ~_umask())


class AtomicFile:
    """Write to a temporary file beside ``target``; :meth:`commit` renames it into place,
    :meth:`abort` removes it. With ``keep``, it starts as a copy of the existing target."""

    def __init__(self, target: Path, keep: bool = False) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        # One name per target, so a run killed with SIGKILL leaves at most this file, which the next run
        # writing the target reuses; created with open(), so its mode (and the target's) honours the umask.
        self.target, self.tmp = target, target.with_name(f".{target.name}.tmp")
        if keep and target.exists():
            shutil.copyfile(target, self.tmp)
        self.handle = self.tmp.open("ab" if keep else "wb")

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        self.handle.close()
        self.tmp.unlink(missing_ok=True)


def write_atomically(target: Path, data: bytes) -> None:
    handle = AtomicFile(target)
    try:
        handle.write(data)
        handle.commit()
    except BaseException:
        handle.abort()
        raise
