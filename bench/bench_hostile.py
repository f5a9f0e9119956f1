"""The reliability audit, re-runnable: hostile inputs, broken servers and secrets, through the real CLI.

    python bench/bench_hostile.py [--keep DIR]

Every scenario runs ``kg`` as a user would (a subprocess, on loopback only) and is checked for:
a traceback on stderr, an exit code other than the documented one, a secret in any output, data
lost or duplicated (the good articles of a batch with a bad one), and peak memory. Worst-case texts
(quote marks only, one attribution repeated, one long line) are timed per KB against realistic
news text in the same process. Prints one line per scenario and the totals the issue asks for:
tracebacks 0, wrong exit codes 0, data lost or duplicated 0, credential leaks 0, worst-case time
ratio <= 3x, peak memory on the blow-up files <= 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from servers import DrippingServer, ScriptedServer  # loopback servers that misbehave on purpose

from kg.errors import ExitCode

SECRET = "s3cr3t-Pa55"
KG = [sys.executable, "-m", "kg"]
# Runs one command and reports its own child's peak memory: the audit's process holds none of it.
MEASURED = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "sys.stderr.write(f'\\n@@peak_kb={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n'); "
    "sys.exit(code)"
)

NEWS = (
    "JAKARTA, KOMPAS.com - Menteri Luar Negeri Sugiono bertemu Sekjen PBB di New York, Selasa (8/10/2024).\n"
    '"Kami ingin perang segera berakhir dan semua pihak kembali berunding," kata Sugiono kepada wartawan.\n'
    "Menurut dia, kerja sama dengan negara-negara ASEAN harus diperkuat tahun depan.\n"
    "Juru Bicara Kementerian Luar Negeri, Rolliansyah Soemirat, menegaskan sikap pemerintah tidak berubah.\n"
)


@dataclass
class Scenario:
    name: str
    args: list[str]
    expected: set[int]
    files: dict[str, bytes] = field(default_factory=dict)
    stdin: bytes | None = None
    must_exist: list[str] = field(default_factory=list)  # outputs a batch must still write
    blowup: bool = False  # peak memory counts against the 500 MB bound


@dataclass
class Outcome:
    scenario: Scenario
    code: int
    traceback: bool
    leaked: bool
    lost: list[str]
    peak_mb: float
    seconds: float

    @property
    def ok(self) -> bool:
        return self.code in self.scenario.expected and not (self.traceback or self.leaked or self.lost)


def billion_laughs(levels: int = 9) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{"".join(f"&lol{i - 1};" for _ in range(10))}">' for i in range(1, levels + 1)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [' + "".join(entities) + "]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        f'<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol{levels};</ex:p></rdf:Description>'
        "</rdf:RDF>\n"
    ).encode()


def quadratic_blowup(size: int = 50_000, uses: int = 3_000) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY a "{"x" * size}">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        f'<rdf:Description rdf:about="http://example.org/a"><ex:p>{"&a;" * uses}</ex:p></rdf:Description>'
        "</rdf:RDF>\n"
    ).encode()


def scenarios(endpoints: dict[str, str]) -> list[Scenario]:
    usage, found, empty = int(ExitCode.USAGE), int(ExitCode.INPUT_NOT_FOUND), int(ExitCode.INPUT_EMPTY)
    binary, encoding, large = int(ExitCode.INPUT_BINARY), int(ExitCode.INPUT_ENCODING), int(ExitCode.INPUT_TOO_LARGE)
    store, invalid = int(ExitCode.STORE), int(ExitCode.GRAPH_INVALID)
    good = NEWS.encode()
    jsonl_lines = [
        json.dumps({"id": "a1", "text": NEWS, "lang": "id"}),
        '{"id": "a2", "text": "Kata terakhir", "title": 7}',
        '{"id": "a3", "text": "broken',
        '{"id": "a4", "text": "\\ud800 lone surrogate"}',
        "[" * 100_000,
        json.dumps({"id": "a5", "text": NEWS.replace("Sugiono", "Retno Marsudi"), "lang": "id"}),
    ]
    return [
        # inputs
        Scenario("empty file", ["extract", "in/empty.txt", "-o", "out"], {empty}, {"in/empty.txt": b""}),
        Scenario("binary file", ["extract", "in/x.txt", "-o", "out"], {binary}, {"in/x.txt": b"\x89PNG\r\n\x1a\n\0\0"}),
        Scenario("Latin-1 file", ["extract", "in/l1.txt", "-o", "out"], {encoding}, {"in/l1.txt": "Café à Paris".encode("latin-1")}),
        Scenario("UTF-16 file", ["extract", "in/u16.txt", "-o", "out"], {encoding, binary}, {"in/u16.txt": NEWS.encode("utf-16")}),
        Scenario("NUL bytes", ["extract", "in/nul.txt", "-o", "out"], {binary}, {"in/nul.txt": b"Halo\0dunia\0" * 50}),
        Scenario("too large", ["extract", "in/big.txt", "-o", "out", "--max-bytes", "200"], {large}, {"in/big.txt": good}),
        Scenario("missing file", ["extract", "in/nothing.txt", "-o", "out"], {found}),
        Scenario("--max-bytes 0", ["extract", "in/a.txt", "-o", "out", "--max-bytes", "0"], {usage}, {"in/a.txt": good}),
        Scenario("--max-bytes -5", ["extract", "in/a.txt", "-o", "out", "--max-bytes", "-5"], {usage}, {"in/a.txt": good}),
        Scenario("stray quote at a line end", ["extract", "in/q.txt", "-o", "out"], {0}, {"in/q.txt": (NEWS + 'Kata terakhir "\n').encode()}, must_exist=["out/q.ttl"]),
        Scenario("lone CR line breaks", ["extract", "in/cr.txt", "-o", "out"], {0}, {"in/cr.txt": NEWS.replace("\n", "\r").encode()}, must_exist=["out/cr.ttl"]),
        Scenario("one bad file in a batch", ["extract", "in/g1.txt", "in/bad.txt", "in/g2.txt", "-o", "out"], {binary}, {"in/g1.txt": good, "in/bad.txt": b"\0\1\2\3", "in/g2.txt": good.replace(b"Sugiono", b"Retno")}, must_exist=["out/g1.ttl", "out/g2.ttl"]),
        Scenario("hostile JSONL lines", ["extract", "in/c.jsonl", "-o", "out"], set(range(3, 9)), {"in/c.jsonl": "\n".join(jsonl_lines).encode() + b"\n"}, must_exist=["out/a1.ttl", "out/a5.ttl"]),
        Scenario("binary on stdin", ["extract", "-", "-o", "out"], {binary}, stdin=b"\x00\x01\x02binary"),
        Scenario("Latin-1 on stdin", ["extract", "-", "-o", "out"], {encoding}, stdin="Café à Paris".encode("latin-1")),
        # RDF a user hands to validate
        Scenario("billion laughs", ["validate", "in/laughs.rdf"], {usage}, {"in/laughs.rdf": billion_laughs()}, blowup=True),
        Scenario("quadratic blowup", ["validate", "in/quad.rdf"], {usage}, {"in/quad.rdf": quadratic_blowup()}, blowup=True),
        Scenario("literal over 16 MiB", ["validate", "in/long.nt"], {usage}, {"in/long.nt": b'<http://e.org/a> <http://e.org/p> "' + b"x" * (17 << 20) + b'" .\n'}, blowup=True),
        Scenario("ill-formed date", ["validate", "in/d.ttl"], {invalid, usage, 0}, {"in/d.ttl": b'@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . <http://e.org/a> <http://schema.org/startDate> "2022-13-45"^^xsd:date .\n'}),
        Scenario("not RDF at all", ["validate", "in/x.json"], {usage}, {"in/x.json": b'{"hello": "world"}'}),
        # stores and endpoints
        Scenario("endpoint without scheme", ["query", "SELECT * {?s ?p ?o}", "--endpoint", "127.0.0.1:7878"], {usage}),
        Scenario("endpoint ftp://", ["query", "SELECT * {?s ?p ?o}", "--endpoint", "ftp://127.0.0.1/x"], {usage}),
        Scenario("endpoint port 99999", ["query", "SELECT * {?s ?p ?o}", "--endpoint", "http://127.0.0.1:99999"], {usage}),
        Scenario("endpoint [::1", ["query", "SELECT * {?s ?p ?o}", "--endpoint", "http://[::1"], {usage}),
        Scenario("password in an unreachable endpoint", ["query", "SELECT * {?s ?p ?o}", "--endpoint", f"http://kg:{SECRET}@127.0.0.1:9/sparql", "--timeout", "2"], {store}),
        Scenario("password in a bad scheme", ["query", "SELECT * {?s ?p ?o}", "--endpoint", f"HTTPX://kg:{SECRET}@127.0.0.1/"], {usage}),
        Scenario("token in the query string", ["query", "SELECT * {?s ?p ?o}", "--endpoint", f"{endpoints['reflect']}/sparql?token={SECRET}", "--timeout", "5"], {store}),
        Scenario("server reflects credentials", ["query", "SELECT * {?s ?p ?o}", "--endpoint", endpoints["reflect"].replace("://", f"://kg:{SECRET}@"), "--timeout", "5"], {store}),
        Scenario("200 with HTML", ["query", "SELECT * {?s ?p ?o}", "--endpoint", endpoints["html"], "--timeout", "5"], {store}),
        Scenario("dripping server", ["query", "SELECT * {?s ?p ?o}", "--endpoint", endpoints["drip"], "--timeout", "3", "--retries", "0"], {store}),
    ]  # fmt: skip


def run(scenario: Scenario, folder: Path) -> Outcome:
    work = folder / scenario.name.replace(" ", "_").replace("/", "_")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name, data in scenario.files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes(data)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, *KG, *scenario.args],
        cwd=work,
        input=scenario.stdin,
        capture_output=True,
        timeout=300,
        env={**os.environ, "KG_CACHE_DIR": str(folder / "cache")},
    )
    seconds = time.perf_counter() - started
    stderr = done.stderr.decode("utf-8", "replace")
    peak_kb = int(stderr.rsplit("@@peak_kb=", 1)[1].split()[0]) if "@@peak_kb=" in stderr else 0
    output = done.stdout.decode("utf-8", "replace") + stderr
    lost = [path for path in scenario.must_exist if not (work / path).is_file()]
    return Outcome(scenario, done.returncode, "Traceback" in stderr, SECRET in output, lost, peak_kb / 1024, seconds)


def worst_case_ratio() -> list[tuple[str, float]]:
    """ms per KB of extraction for each hostile text, over the same for realistic news."""
    from kg.article import Article
    from kg.extract import extract

    size = 20_000
    texts: dict[str, str] = {
        "realistic news": (NEWS * (size // len(NEWS) + 1))[:size],
        'only quote marks ("…)': '"' * size,
        "one attribution repeated": ('"Kami siap," kata Budi. ' * (size // 24 + 1))[:size],
        "one line, no breaks": (NEWS.replace("\n", " ") * (size // len(NEWS) + 1))[:size],
        "line breaks only, words between": ("kata\n" * (size // 5 + 1))[:size],
        "brackets and quotes mixed": ('(("Ya," [kata] "tidak")) ' * (size // 25 + 1))[:size],
    }
    extract(Article.from_text(NEWS, "id"))  # the pipeline built once, outside the timing
    per_kb: dict[str, float] = {}
    for name, text in texts.items():
        started = time.perf_counter()
        extract(Article.from_text(text, "id"))
        per_kb[name] = (time.perf_counter() - started) * 1000 / (len(text.encode()) / 1000)
    base = per_kb["realistic news"]
    return [(name, ms / base) for name, ms in per_kb.items()]


def serve(stack: list[Callable[[], None]]) -> dict[str, str]:
    def reflect(handler, _n):  # echoes the request's headers, Authorization included
        return 500, {"Content-Type": "text/plain"}, str(handler.headers).encode() + handler.path.encode()

    def html(_handler, _n):
        return 200, {"Content-Type": "text/html"}, b"<html><body>Welcome to our portal</body></html>"

    servers = {"reflect": ScriptedServer(reflect), "html": ScriptedServer(html)}
    drip = DrippingServer(1.5)
    stack.extend([*(server.close for server in servers.values()), drip.close])
    return {**{name: server.url for name, server in servers.items()}, "drip": drip.url}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="run in this folder and keep what the scenarios wrote")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kg-hostile-"))
    closers: list[Callable[[], None]] = []
    try:
        outcomes = [run(scenario, folder) for scenario in scenarios(serve(closers))]
    finally:
        for close in closers:
            close()
    for o in outcomes:
        flags = [f for f, on in (("TRACEBACK", o.traceback), ("LEAK", o.leaked), ("LOST", bool(o.lost))) if on]
        if o.code not in o.scenario.expected:
            flags.append(f"WRONG CODE (expected {sorted(o.scenario.expected)})")
        print(
            f"{'ok ' if o.ok else 'BAD'} {o.scenario.name:38} exit {o.code:3}  {o.peak_mb:6.0f} MB  {o.seconds:5.1f} s  {' '.join(flags)}"
        )
    ratios = worst_case_ratio()
    for name, ratio in ratios:
        print(f"    time per KB, {name:34} {ratio:5.2f}x realistic news")
    blowup_peak = max((o.peak_mb for o in outcomes if o.scenario.blowup), default=0.0)
    worst = max(ratio for _, ratio in ratios)
    totals = {
        "inputs tried": len(outcomes) + len(ratios) - 1,
        "tracebacks": sum(o.traceback for o in outcomes),
        "wrong exit codes": sum(o.code not in o.scenario.expected for o in outcomes),
        "data lost or duplicated": sum(bool(o.lost) for o in outcomes),
        "credential leaks": sum(o.leaked for o in outcomes),
    }
    print(", ".join(f"{k}: {v}" for k, v in totals.items()))
    print(
        f"worst-case time ratio: {worst:.2f}x (bound 3x); peak memory on the blow-up files: {blowup_peak:.0f} MB (bound 500)"
    )
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    failed = any(totals[k] for k in list(totals)[1:]) or worst > 3 or blowup_peak > 500
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
