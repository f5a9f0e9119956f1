"""Where the files that ship with kg live, in a source checkout and in an installed package, and
where kg keeps what it builds from them (the KB's SQLite file, the tokenizer's affix table).

``shapes/`` and ``ontology/`` sit at the top of the source tree (they are the project's
public definitions) and are installed inside the package as ``kg/shapes`` and ``kg/ontology``.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The directory ``name`` ("shapes", "ontology", "data") for this installation."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg is installed without its {name}/ directory; reinstall the package")


def cache_dir() -> Path:
    """Where kg keeps what it builds once (KBs, tables): ``$KG_CACHE_DIR``, else the XDG cache directory."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kg"
