"""kg load reading N-Quads a graph at a time (kg.rdf.nquads): the same terms Oxigraph gives, whole
graphs whatever the order of the lines, a file refused whole when its end is broken, and graphs that
wait on disk rather than in memory until their batch is loaded."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from servers import OxigraphServer
from typer.testing import CliRunner

import kg.store
from kg.article import Article
from kg.cli import app
from kg.errors import GraphUnreadable
from kg.extract import extract
from kg.load import SpilledGraph, load_files
from kg.rdf.graph import ArticleGraph
from kg.rdf.nquads import NotStreamable, graph_runs
from kg.store import EmbeddedStore, batches, load

TEXTS = [
    "Medan - Gubernur Sumatera Utara membuka pasar murah di Lapangan Merdeka pada Senin pagi. "
    '"Harga beras harus turun," katanya kepada pedagang.',
    "Makassar - Kapal penumpang tertahan di Pelabuhan Soekarno-Hatta karena ombak tinggi sejak Selasa. "
    "Syahbandar meminta warga menunda perjalanan.",
]


@pytest.fixture(scope="module")
def graphs() -> list[ArticleGraph]:
    return [extract(Article.from_text(text, "id")).graph for text in TEXTS]


def held(store: Path | ox.Store) -> dict[str, set[tuple[str, str, str]]]:
    """Each named graph in the store, as N-Triples terms (as the store gives them back: it writes an
    xsd:nonNegativeInteger as an xsd:integer)."""
    opened = ox.Store.read_only(str(store)) if isinstance(store, Path) else store
    found: dict[str, set[tuple[str, str, str]]] = {}
    for quad in opened.quads_for_pattern(None, None, None, None):
        assert isinstance(quad.graph_name, ox.NamedNode)
        found.setdefault(quad.graph_name.value, set()).add((str(quad.subject), str(quad.predicate), str(quad.object)))
    return found


def test_lines_not_written_as_oxigraph_writes_them_give_oxigraph_terms(tmp_path: Path) -> None:
    lines = (
        '<http://e.org/a>   <http://e.org/p> "x"^^<http://www.w3.org/2001/XMLSchema#string> <http://e.org/g> .\n'
        '<http://e.org/a> <http://e.org/p> "Kata \\u0041\\t\\"kutipan\\""@ID-id <http://e.org/g> .\n'
        "# a comment\n"
        "\n"
        '_:b1 <http://e.org/p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> <http://e.org/g> .\n'
        "<http://e.org/a> <http://e.org/p> <http://e.org/b> <http://e.org/h> .\n"
    )
    path = tmp_path / "odd.nq"
    path.write_text(lines, encoding="utf-8")
    expected: dict[str, list[tuple[str, str, str]]] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        assert isinstance(quad.graph_name, ox.NamedNode)
        expected.setdefault(quad.graph_name.value, []).append(
            (str(quad.subject), str(quad.predicate), str(quad.object))
        )
    runs = list(graph_runs(path))
    assert [(graph.name, graph.triples) for graph, _ in runs] == [
        (name, tuple(sorted(triples))) for name, triples in expected.items()
    ]
    assert runs[0][0].triples[0] == ("<http://e.org/a>", "<http://e.org/p>", '"Kata A\\t\\"kutipan\\""@id-id')
    assert runs[1][1] == b"<http://e.org/a> <http://e.org/p> <http://e.org/b> <http://e.org/h> .\n"


@pytest.mark.parametrize(
    ("term", "refused"),
    [
        ("<http://e.org/a[1]>", "Invalid IRI code point '['"),
        ("<http://e.org/#a#b>", "Invalid IRI code point '#'"),
        ("<http://e.org/\ufdd0>", "Invalid IRI code point '\ufdd0'"),
        ("<http://e.org:x/>", "Invalid character 'x'"),
        ('"x"@abcdefghi', "A subtag may be eight characters in length at maximum"),
        ('"x"@en-a-b', "If an extension subtag is present, it must not be empty"),
    ],
)
def test_a_line_oxigraph_refuses_is_never_taken_as_written(term: str, refused: str, tmp_path: Path) -> None:
    """Lines read as they are written go to the store's loader unchecked (kg.store, ``checked``): one
    the strict parser refuses must reach it, and the file is refused whole at its line, not a batch."""
    good, bad = "<http://e.org/s> <http://e.org/p> <http://e.org/o>", f"<http://e.org/s> <http://e.org/p> {term}"
    path = tmp_path / "f.nq"
    path.write_text(
        f"{good} <http://e.org/g> .\n{good} <http://e.org/h> .\n{bad} <http://e.org/h> .\n", encoding="utf-8"
    )
    with pytest.raises(NotStreamable, match=rf"^Parser error at line 1 .*: {re.escape(refused)} \(line 1\)$"):
        list(graph_runs(path))
    store = EmbeddedStore(tmp_path / "store")
    try:
        outcome = load_files([path], store)
    finally:
        store.close()
    assert len(outcome.refused) == 1
    assert re.fullmatch(
        rf"{re.escape(str(path))}: not parseable RDF \(Parser error at line 3 between columns \d+ and \d+: "
        rf"{re.escape(refused)} \(f\.nq, line 3\)\)",
        str(outcome.refused[0]),
    )
    assert outcome.report is not None and outcome.report.loaded == []


def test_graphs_kg_load_did_not_read_are_checked_by_the_store(tmp_path: Path) -> None:
    bad = ArticleGraph.of("http://e.org/g", [("<http://e.org/a[1]>", "<http://e.org/p>", "<http://e.org/b>")])
    store = EmbeddedStore(tmp_path / "store")
    try:
        report = load(store, [bad])
    finally:
        store.close()
    assert [(graph.name, reason) for graph, reason in report.failed] == [
        (
            "http://e.org/g",
            "the store refused the batch: Parser error at line 1 between columns 1 and 20: "
            "Invalid IRI code point '[' (line 1)",
        )
    ]


@pytest.mark.parametrize(
    "term",
    ["<http://u@e.org/a>", "<http://[::1]/a>", "<http://e.org/?\ue000>", '"x"@en-gb-oed', "<http://e.org/a\u00a0b>"],
)
def test_a_line_beyond_what_is_read_as_written_is_read_by_oxigraph(term: str, tmp_path: Path) -> None:
    path = tmp_path / "f.nq"
    path.write_text(f"<http://e.org/s> <http://e.org/p> {term} <http://e.org/g> .\n", encoding="utf-8")
    assert list(graph_runs(path)) == [
        (ArticleGraph("http://e.org/g", (("<http://e.org/s>", "<http://e.org/p>", term),), path), path.read_bytes())
    ]


@pytest.mark.parametrize("seed", range(6))
def test_a_graph_is_in_term_order_whatever_the_order_of_its_lines(seed: int, tmp_path: Path) -> None:
    """Lines that rise in byte order are taken as sorted; terms that begin another one ("x" and "x"@en,
    _:b1 and _:b10, "a" and "a b") and a line given twice are where byte order could mislead."""
    objects = [
        '"x"',
        '"x"@en',
        '"x"@en-gb',
        '"a b"',
        '"a"',
        '"a"^^<http://e.org/t>',
        "_:b1",
        "_:b10",
        "<http://e.org/o>",
    ]
    subjects = ["_:b1", "_:b10", "_:b1-", "<http://e.org/s>", "<http://e.org/s/1>"]
    triples = [(s, "<http://e.org/p>", o) for s in subjects for o in objects]
    triples += [("<http://e.org/s>", f"<http://e.org/p{suffix}>", '"x"') for suffix in ("/", "1")]
    lines = [f"{s} {p} {o} <http://e.org/g> .\n" for s, p, o in triples]
    chosen = random.Random(seed)
    written = sorted(lines) if seed in (0, 4, 5) else chosen.sample(lines, len(lines))
    if seed in (4, 5):  # in order, but one line twice, next to its twin
        twice = chosen.randrange(len(written))
        written.insert(twice, written[twice])
    path = tmp_path / "f.nq"
    path.write_text("".join(written), encoding="utf-8")
    [(graph, _)] = list(graph_runs(path))
    assert graph.triples == tuple(sorted(triples))


def test_terms_are_read_alike_past_what_is_remembered(tmp_path: Path) -> None:
    """More distinct terms than kg.rdf.nquads keeps (it forgets them all and starts again)."""
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    lines = [
        f'<http://e.org/s{i}> <http://e.org/p> "{i % 7}"^^{integer} <http://e.org/g{i // 40_000}> .\n'
        for i in range(80_000)
    ]
    path = tmp_path / "many.nq"
    path.write_text("".join(lines), encoding="utf-8")
    expected: dict[str, list[tuple[str, str, str]]] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        expected.setdefault(str(quad.graph_name)[1:-1], []).append(
            (str(quad.subject), str(quad.predicate), str(quad.object))
        )
    runs = list(graph_runs(path))
    assert [(graph.name, graph.triples) for graph, _ in runs] == [
        (name, tuple(sorted(triples))) for name, triples in expected.items()
    ]
    assert b"".join(text for _, text in runs) == "".join(lines).encode("utf-8")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("<http://e.org/a> <http://e.org/p> <http://e.org/b> .\n", "a triple outside a named graph"),
        (
            "<http://e.org/a> <http://e.org/p> <http://e.org/b> <http://e.org/g> .\n"
            "<http://e.org/a> <http://e.org/p> <http://e.org/c> <http://e.org/h> .\n"
            "<http://e.org/a> <http://e.org/p> <http://e.org/d> <http://e.org/g> .\n",
            "the lines of <http://e.org/g> are not together",
        ),
        ("", "no quads"),
    ],
)
def test_what_cannot_be_read_a_graph_at_a_time_says_so(content: str, reason: str, tmp_path: Path) -> None:
    path = tmp_path / "f.nq"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NotStreamable, match=rf"^{reason}$"):
        list(graph_runs(path))


def test_a_graph_whose_lines_are_apart_is_loaded_whole(graphs: list[ArticleGraph], tmp_path: Path) -> None:
    first, second = graphs
    halves = first.nquads().splitlines(keepends=True)
    path = tmp_path / "apart.nq"
    path.write_bytes(b"".join(halves[:10]) + second.nquads() + b"".join(halves[10:]))
    store = EmbeddedStore(tmp_path / "store")
    try:
        outcome = load_files([path], store)
    finally:
        store.close()
    assert outcome.report is not None and (outcome.refused, outcome.report.failed) == ([], [])
    reference = ox.Store()
    reference.load(first.nquads() + second.nquads(), format=ox.RdfFormat.N_QUADS)
    assert held(tmp_path / "store") == held(reference)
    assert {name: len(triples) for name, triples in held(reference).items()} == {g.name: len(g) for g in graphs}


def test_lines_ended_by_carriage_returns_are_loaded_alike(graphs: list[ArticleGraph], tmp_path: Path) -> None:
    """N-Quads ends a line with any run of CR and LF: CR LF lines are read a graph at a time (each line
    parsed by Oxigraph, handed on as it writes them); lines ended by a CR alone are read whole."""
    written = b"".join(g.nquads() for g in graphs)
    crlf, cr = tmp_path / "crlf.nq", tmp_path / "cr.nq"
    crlf.write_bytes(written.replace(b"\n", b"\r\n"))
    cr.write_bytes(written.replace(b"\n", b"\r"))
    assert [(graph, lines) for graph, lines in graph_runs(crlf)] == [
        (ArticleGraph(g.name, g.triples, crlf), g.nquads()) for g in graphs
    ]
    with pytest.raises(NotStreamable, match=r"^more than one quad on a line$"):
        list(graph_runs(cr))
    reference = ox.Store()
    reference.load(written, format=ox.RdfFormat.N_QUADS)
    for path in (crlf, cr):
        store = EmbeddedStore(tmp_path / f"store-{path.stem}")
        try:
            outcome = load_files([path], store)
        finally:
            store.close()
        assert outcome.report is not None and (outcome.refused, outcome.report.failed) == ([], [])
        assert held(tmp_path / f"store-{path.stem}") == held(reference)


def test_a_file_broken_at_its_end_is_refused_whole(graphs: list[ArticleGraph], tmp_path: Path) -> None:
    path = tmp_path / "broken.nq"
    path.write_bytes(b"".join(g.nquads() for g in graphs) + b"<http://e.org/a> <http://e.org/p> .\n")
    store = EmbeddedStore(tmp_path / "store")
    try:
        outcome = load_files([path], store)
    finally:
        store.close()
    assert [type(e) for e in outcome.refused] == [GraphUnreadable]
    assert str(outcome.refused[0]).startswith(f"{path}: not parseable RDF (")
    assert outcome.report is not None and outcome.report.loaded == []
    assert held(tmp_path / "store") == {}


def test_graphs_wait_on_disk_not_in_memory(graphs: list[ArticleGraph], tmp_path: Path) -> None:
    path = tmp_path / "corpus.nq"
    path.write_bytes(b"".join(g.nquads() for g in graphs))
    outcome = load_files([path], EmbeddedStore(tmp_path / "store"), dry_run=True)
    assert all(isinstance(g, SpilledGraph) and not hasattr(g, "triples") for g in outcome.graphs)
    assert [(g.name, len(g), g.source) for g in outcome.graphs] == [(g.name, len(g), path) for g in graphs]


def test_nquads_posts_new_graphs_and_replaces_those_already_there(
    graphs: list[ArticleGraph], tmp_path: Path, server: OxigraphServer, runner: CliRunner
) -> None:
    first, second = graphs
    extra = ("<https://example.org/stale>", "<https://example.org/was>", '"there before"')
    stale = ArticleGraph.of(first.name, [*first.triples[:5], extra])  # a triple the new graph does not have
    assert (
        runner.invoke(
            app, ["load", str(nquads(tmp_path / "old.nq", [stale])), "--no-validate", "--endpoint", server.url]
        ).exit_code
        == 0
    )
    assert server.triples_per_graph() == {first.name: 6}
    result = runner.invoke(
        app, ["load", str(nquads(tmp_path / "new.nq", graphs)), "--endpoint", server.url, "--method", "nquads"]
    )
    total = len(first) + len(second)
    assert (result.exit_code, result.stdout) == (0, f"loaded 2 articles ({total:,} triples) into {server.url}\n")
    assert server.triples_per_graph() == {first.name: len(first), second.name: len(second)}  # the stale one replaced


def test_nquads_needs_a_store_that_loads_quads_in_one_transaction(
    graphs: list[ArticleGraph], tmp_path: Path, runner: CliRunner
) -> None:
    stream = nquads(tmp_path / "s.nq", graphs)
    options = ["--endpoint", "http://127.0.0.1:9", "--flavor", "graphdb", "--method", "nquads"]
    result = runner.invoke(app, ["load", str(stream), *options])
    assert result.exit_code == 2
    assert result.stderr == (
        "kg: error: --method nquads needs a store that loads N-Quads into its dataset in one transaction "
        "(oxigraph, fuseki); use --method update\n"
    )


def nquads(path: Path, graphs: list[ArticleGraph]) -> Path:
    path.write_bytes(b"".join(g.nquads() for g in graphs))
    return path


def test_batches_hold_whole_graphs_up_to_a_number_of_quads() -> None:
    sized = [
        ArticleGraph(f"http://e.org/g{i}", tuple(("<http://e.org/s>", "<http://e.org/p>", f'"{j}"') for j in range(n)))
        for i, n in enumerate([3, 4, 2, 9, 1, 1])
    ]
    by_quads = [[len(graph) for graph in group] for group in batches(sized, None, quads=7)]
    assert by_quads == [[3, 4], [2], [9], [1, 1]]  # 9 is over the bound: alone
    assert [[len(graph) for graph in group] for group in batches(sized, 4)] == [[3, 4, 2, 9], [1, 1]]
    assert list(batches([], None)) == []


def test_an_embedded_store_takes_a_file_in_bulk_loads_of_whole_articles(
    graphs: list[ArticleGraph], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By default a bulk load takes as many articles as fit in BULK_QUADS; --batch N makes it N."""
    many = [ArticleGraph(f"{graphs[i % 2].name}-{i}", graphs[i % 2].triples) for i in range(7)]
    path = tmp_path / "seven.nq"
    path.write_bytes(b"".join(g.nquads() for g in many))
    loads: list[int] = []
    bulk_load = ox.Store.bulk_load

    def counted(self: ox.Store, input: bytes, **options: object) -> None:
        loads.append(input.count(b"\n"))
        bulk_load(self, input, **options)  # type: ignore[arg-type]

    reference = ox.Store()
    reference.load(path.read_bytes(), format=ox.RdfFormat.N_QUADS)
    monkeypatch.setattr(ox.Store, "bulk_load", counted)
    monkeypatch.setattr(kg.store, "BULK_QUADS", len(many[0]) + len(many[1]) + len(many[2]))
    for batch, expected in ((None, [3, 3, 1]), (2, [2, 2, 2, 1])):
        loads.clear()
        store = EmbeddedStore(tmp_path / f"store-{batch}")
        try:
            outcome = load_files([path], store, batch=batch)
        finally:
            store.close()
        assert outcome.report is not None and len(outcome.report.loaded) == 7
        sizes = [len(g) for g in many]
        starts = [sum(expected[:k]) for k in range(len(expected))]
        assert loads == [sum(sizes[a : a + n]) for a, n in zip(starts, expected, strict=True)]
        assert held(tmp_path / f"store-{batch}") == held(reference)
