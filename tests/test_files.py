"""Files kg writes look like their neighbours': modes from the umask, and a test run leaves the user's cache alone."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, wikidata_record

KG = [sys.executable, "-m", "kg"]
ARTICLE = "Gubernur Sari Wibowo meresmikan jembatan baru di Semarang pada Rabu (9/11/2022), kata juru bicaranya.\n"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _run(args: list[str], cwd: Path, umask: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KG, *args], cwd=cwd, umask=umask, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o077, 0o600)])
def test_every_output_file_has_the_mode_the_umask_gives(tmp_path: Path, umask: int, expected: int) -> None:
    (tmp_path / "semarang.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps(wikidata_record("Q9999990001", "Sari Wibowo", p31="Q5")) + "\n", encoding="utf-8")

    turtle = _run(["extract", "semarang.txt", "empty.txt", "-o", "ttl"], tmp_path, umask)
    assert turtle.returncode == 4, turtle.stderr  # the empty one fails, so there is a failures file
    stream = _run(["extract", "semarang.txt", "empty.txt", "--format", "nq", "-o", "all.nq"], tmp_path, umask)
    assert stream.returncode == 4, stream.stderr
    imported = _run(["kb", "import", "records.jsonl", "-o", "kb.sqlite"], tmp_path, umask)
    assert imported.returncode == 0, imported.stderr

    written = ["ttl/semarang.ttl", "ttl/failures.jsonl", "all.nq", "all.nq.names", "all.nq.failures.jsonl", "kb.sqlite"]
    assert {name: oct(_mode(tmp_path / name)) for name in written} == {name: oct(expected) for name in written}


INNER_TEST = """
import os
import subprocess
import sys
from pathlib import Path

from kg.kb import open_kb
from kg.resources import cache_dir


def test_builds_knowledge_bases(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text(os.environ["INNER_RECORD"] + "\\n", encoding="utf-8")
    open_kb(records)
    done = subprocess.run([sys.executable, "-m", "kg", "kb", "stats", "--kb", str(records)], capture_output=True)
    assert done.returncode == 0, done.stderr
    assert list(cache_dir().glob("kb-*.sqlite"))
"""


def test_a_test_run_builds_its_knowledge_bases_outside_the_users_cache(tmp_path: Path) -> None:
    """An inner pytest session with this suite's conftest, run as a user with their own KG_CACHE_DIR and
    XDG_CACHE_HOME: it builds KBs in process and in a subprocess, and neither lands in the user's directories."""
    users_cache, users_xdg = tmp_path / "users-kg-cache", tmp_path / "users-xdg"
    users_cache.mkdir()
    users_xdg.mkdir()
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "test_inner.py").write_text(INNER_TEST, encoding="utf-8")
    env = {
        **os.environ,
        "KG_CACHE_DIR": str(users_cache),
        "XDG_CACHE_HOME": str(users_xdg),
        "PYTHONPATH": str(ROOT / "tests"),
        "INNER_RECORD": json.dumps(wikidata_record("Q9999990002", "Budi Santosa", p31="Q5")),
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider", str(inner)],
        cwd=inner,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert list(users_cache.iterdir()) == []
    assert list(users_xdg.iterdir()) == []
