"""kg's own Turtle writer (kg/rdf/turtle.py): the bytes pyoxigraph writes, read back alike by rdflib and pyoxigraph."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import DATA, SEED
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.article import read_article
from kg.extract import extract
from kg.rdf.graph import ArticleGraph
from kg.rdf.namespaces import PREFIXES as NAMESPACES
from kg.rdf.oxigraph import serialize
from kg.rdf.turtle import TurtleWriter, local_name

PREFIXES = {prefix: str(namespace) for prefix, namespace in NAMESPACES.items()}  # as kg writes them
KGID = PREFIXES["kgid"]
# the random graphs hold ill-typed literals on purpose ("x"^^xsd:double), which rdflib warns of when it reads them
pytestmark = pytest.mark.filterwarnings("ignore:Serializing weird:UserWarning", "ignore:Parsing weird:UserWarning")
XSD = "http://www.w3.org/2001/XMLSchema#"


def pyoxigraph_turtle(graph: ArticleGraph, prefixes: dict[str, str] = PREFIXES) -> bytes:
    return serialize(graph.parsed(), format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def read_back(data: bytes) -> tuple[set[ox.Triple], Graph]:
    return (
        {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.TURTLE)},
        Graph().parse(data=data, format="turtle"),
    )


@pytest.mark.parametrize("path", [SEED, *sorted((DATA / "articles").glob("*.txt"))], ids=lambda p: p.name)
def test_article_graphs_as_pyoxigraph_writes_them(path: Path) -> None:
    graph = extract(read_article(path)).graph
    assert graph.turtle() == pyoxigraph_turtle(graph)


# Characters a local name may hold plain, escaped, only inside, or not at all.
ALPHABET = "aZ09_-.:~!$&'()*+,;=/?#@%é·\u0301‿ \"<>{}|^`\\ü中𝄞"
ASCII_ALPHABET = "".join(char for char in ALPHABET if char.isascii())


def tricky_graph(seed: int, alphabet: str = ALPHABET) -> ArticleGraph:
    rng = random.Random(seed)
    iris = [f"<{KGID}{''.join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))}>" for _ in range(200)]
    iris = [iri.replace("%", "%4F") for iri in iris if not set(iri[1:-1]) & set(' "<>{}|^`\\')]
    iris = [iri for iri in iris if iri.count("#") <= 1 and not iri.endswith(".>")]  # valid; see below for "."
    iris += [f"<{KGID}>", f"<{PREFIXES['schema']}>", "<http://example.org/elsewhere>", f"<{XSD}date>"]
    lexical = ["0", "01", "+1", "-7", "1.", ".5", "-0.25", "1e5", "1.E-3", ".5e+2", "INF", "NaN", "true", "1", "x"]
    literals = [f'"{v}"^^<{XSD}{t}>' for v in lexical for t in ("integer", "decimal", "double", "boolean", "date")]
    literals += ['"plain"', '"tab\\tquote\\" back\\\\slash\\nline"', '"Kata"@id', '"x"@en-gb', '"a\\"^^<b>"^^<urn:dt>']
    literals += [f'"v"^^<{KGID}type>', f'"v"^^<{PREFIXES["kg"]}>']
    blanks = ["_:b0", "_:node1"]
    triples = [
        (rng.choice(iris + blanks), rng.choice([*iris[-4:], f"<{PREFIXES['rdf']}type>"]), o)
        for o in [*iris, *literals, *blanks]
        for _ in range(2)
    ]
    return ArticleGraph.of(f"{KGID}article/tricky", triples)


@pytest.mark.parametrize(
    ("seed", "alphabet"),
    # all of a namespace's IRIs ASCII (kg's own), or some not: the writer checks local names each way
    [*((seed, ALPHABET) for seed in range(5)), *((seed, ASCII_ALPHABET) for seed in range(5))],
)
def test_tricky_terms_as_pyoxigraph_writes_them(seed: int, alphabet: str) -> None:
    graph = tricky_graph(seed, alphabet)
    written = graph.turtle()
    assert written == pyoxigraph_turtle(graph)
    in_oxigraph, in_rdflib = read_back(written)
    assert in_oxigraph == {ox.Triple(q.subject, q.predicate, q.object) for q in graph.parsed()}
    assert isomorphic(in_rdflib, Graph().parse(data=graph.ntriples(), format="nt"))


def test_other_prefixes_and_the_empty_graph() -> None:
    graph = tricky_graph(9)
    prefixes = {"b": KGID, "a": KGID, "long": f"{KGID}a", "x": XSD}
    assert TurtleWriter(prefixes).write(graph.triples) == pyoxigraph_turtle(graph, prefixes)
    assert TurtleWriter(PREFIXES).write(()) == b""


@pytest.mark.parametrize(
    ("local", "written"),
    [
        ("a.b.", None),  # Oxigraph writes a.b\., which rdflib cannot read
        ("article/8914216dbf75e034#char=0,12", "article\\/8914216dbf75e034\\#char\\=0\\,12"),
        ("-x", "\\-x"),
        ("_x:y-z", "_x:y-z"),
        ("1abc", "1abc"),
        ("x%20", "x\\%20"),
        ("", ""),
        ("a b", None),
        ("\u0301a", None),
    ],
)
def test_local_names(local: str, written: str | None) -> None:
    assert local_name(local) == written


def test_a_local_name_ending_in_a_dot_is_written_in_full() -> None:
    graph = ArticleGraph.of(f"{KGID}x", [(f"<{KGID}a.b.>", f"<{KGID}p>", f"<{KGID}a.b>")])
    written = graph.turtle()
    assert written.endswith(f"<{KGID}a.b.> kgid:p kgid:a.b .\n".encode())
    in_oxigraph, in_rdflib = read_back(written)
    assert in_oxigraph == {ox.Triple(q.subject, q.predicate, q.object) for q in graph.parsed()}
    assert isomorphic(in_rdflib, Graph().parse(data=graph.ntriples(), format="nt"))


def test_one_writer_across_graphs_past_its_cache_bound() -> None:
    """The writer kg extract keeps for a run: terms remembered from one graph, forgotten when a graph
    brings more than the cache holds, and every graph still written as pyoxigraph writes it."""
    writer = TurtleWriter(PREFIXES)
    small = tricky_graph(3)
    big = ArticleGraph.of(
        f"{KGID}article/big",
        [
            (f"<{KGID}article/big#char={n},{n + 4}>", f"<{PREFIXES['nif']}anchorOf>", f'"w{n % 7}"')
            for n in range(70_000)
        ],
    )
    for graph in (small, big, small):
        assert writer.write(graph.triples) == pyoxigraph_turtle(graph)
    assert len(writer.objects) < 70_000
