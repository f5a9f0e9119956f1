"""Hostile RDF through ``kg validate``: entity bombs, remote contexts, huge terms and deep nesting each
give one line and exit 2 (or the same answer from both engines), with memory bounded and no network."""

from __future__ import annotations

import http.server
import resource
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from kg.cli import app

KG = [sys.executable, "-m", "kg"]
MEMORY_CAP = 2 * 1024**3  # address space for the child: an expanding parser hits it long before 15 GB


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_capped(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=300, preexec_fn=_capped)


def billion_laughs(path: Path) -> None:
    """Ten entities, each ten of the one before: 10^9 "lol"s from under a kilobyte."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        + "\n".join(entities)
        + '\n]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        '<rdf:Description rdf:about="http://example.org/a"><ex:says>&lol9;</ex:says></rdf:Description>\n'
        "</rdf:RDF>\n",
        encoding="utf-8",
    )


def quadratic_blowup(path: Path) -> None:
    """One 40 KB entity referenced 40,000 times: no nesting, still gigabytes once expanded."""
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY a "'
        + "x" * 40_000
        + '">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        '<rdf:Description rdf:about="http://example.org/a"><ex:says>'
        + "&a;" * 40_000
        + "</ex:says></rdf:Description>\n</rdf:RDF>\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(("make", "size"), [(billion_laughs, (900, 1000)), (quadratic_blowup, (160_000, 170_000))])
@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_entity_expansion_is_refused_before_parsing(
    tmp_path: Path, make: Callable[[Path], None], size: tuple[int, int], engine: str
) -> None:
    bomb = tmp_path / "bomb.rdf"
    make(bomb)
    assert size[0] <= bomb.stat().st_size <= size[1]
    done = run_capped("validate", str(bomb), "--engine", engine)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"kg: error: {bomb}: RDF/XML with a DTD (<!DOCTYPE> or <!ENTITY>) is refused: its entities can expand "
        "without bound; write the IRIs out in full\n"
    )


def test_rdf_xml_without_a_dtd_is_read(tmp_path: Path, runner: CliRunner) -> None:
    plain = tmp_path / "plain.rdf"
    plain.write_text(
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="http://example.org/a">'
        "<ex:says>lol</ex:says></rdf:Description>\n</rdf:RDF>\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(plain)])
    assert (result.exit_code, result.stdout) == (0, f"{plain}: conforms\n")


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        body = b'{"@context": {"name": "https://schema.org/name"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def context_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback server that serves a JSON-LD context and records every request it gets."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/context.jsonld", requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_remote_json_ld_contexts_are_not_fetched(
    tmp_path: Path, runner: CliRunner, context_server: tuple[str, list[str]], engine: str
) -> None:
    url, requests = context_server
    data = tmp_path / "remote.jsonld"
    data.write_text(f'{{"@context": "{url}", "@id": "http://example.org/a", "name": "A"}}', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(data), "--engine", engine])
    assert result.exit_code == 2
    assert result.stderr == (
        f"kg: error: {data}: the JSON-LD names a remote @context, which kg does not fetch (no network access); "
        "put the context in the file\n"
    )
    shapes = tmp_path / "shapes.jsonld"
    shapes.write_text(f'{{"@context": "{url}", "@id": "http://example.org/S", "name": "S"}}', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(data), "--shapes", str(shapes), "--engine", engine])
    assert result.exit_code == 2
    assert "names a remote @context, which kg does not fetch" in result.stderr
    assert requests == []


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_a_literal_over_16_mib_is_one_line(tmp_path: Path, engine: str) -> None:
    huge = tmp_path / "huge.nt"
    huge.write_text(f'<http://example.org/a> <http://example.org/says> "{"x" * (17 * 2**20)}" .\n', encoding="utf-8")
    done = subprocess.run([*KG, "validate", str(huge), "--engine", engine], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr == f"kg: error: {huge}: a term longer than 16 MiB, more than the RDF parser takes\n"


DEPTH = 20_000


def nested_lists(path: Path) -> None:
    path.write_text(f"<http://example.org/a> <http://example.org/p> {'(' * DEPTH}{')' * DEPTH} .\n", encoding="utf-8")


def nested_blank_nodes(path: Path) -> None:
    path.write_text(
        "<http://example.org/a> <http://example.org/p> "
        + "[ <http://example.org/p> " * DEPTH
        + '"bottom"'
        + " ]" * DEPTH
        + " .\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("make", [nested_lists, nested_blank_nodes])
def test_deep_nesting_gets_one_answer_from_both_engines(
    tmp_path: Path, runner: CliRunner, make: Callable[[Path], None]
) -> None:
    deep = tmp_path / "deep.ttl"
    make(deep)
    answers = {
        engine: (r.exit_code, r.stdout, r.stderr)
        for engine in ("fast", "pyshacl")
        for r in [runner.invoke(app, ["validate", str(deep), "--engine", engine])]
    }
    assert answers["fast"] == answers["pyshacl"] == (0, f"{deep}: conforms\n", "")
