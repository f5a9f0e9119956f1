"""Where the files that ship with kg live, in a source checkout and in an installed package.

``shapes/`` and ``ontology/`` sit at the top of the source tree (they are the project's
public definitions) and are installed inside the package as ``kg/shapes`` and ``kg/ontology``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The directory ``name`` ("shapes", "ontology", "data") for this installation."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg is installed without its {name}/ directory; reinstall the package")
