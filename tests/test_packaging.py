"""A user who installs the wheel (not this checkout) gets the shapes, ontology and bundled KB."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_wheel_carries_the_data_files(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("kg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "kg/shapes/kg.ttl",
        "kg/ontology/kg.ttl",
        "kg/data/kb.jsonl.gz",
        "kg/shacl/sparql_ahead.json",
        "kg/cli/__init__.py",
        "kg/models/id_ner.npz",
        "kg-0.1.0.dist-info/licenses/LICENSE",
    } <= names
    metadata = zipfile.ZipFile(wheel).read("kg-0.1.0.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata.splitlines()
