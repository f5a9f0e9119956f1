"""The graph of the seed article, triple by triple, and its determinism."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyoxigraph
import pytest
from conftest import SEED
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.article import Article, read_article
from kg.extract import ArticleResult, extract, write_graph
from kg.rdf.graph import ArticleGraph
from kg.rdf.namespaces import ITSRDF, KG, KGID, NIF, SCHEMA, WD


@pytest.fixture(scope="module")
def seed_result() -> ArticleResult:
    result = extract(read_article(SEED, published=date(2022, 10, 11)))
    assert result.report.conforms, result.report.describe()
    return result


@pytest.fixture(scope="module")
def seed_graph(seed_result: ArticleResult) -> Graph:
    return seed_result.graph.to_rdflib()


def test_article_node(seed_graph: Graph, seed_text: str) -> None:
    article = URIRef(f"{KGID}article/{read_article(SEED).id}")
    context = URIRef(f"{article}#char=0,{len(seed_text)}")
    expected = {
        (article, RDF.type, SCHEMA.NewsArticle),
        (article, SCHEMA.inLanguage, Literal("id")),
        (
            article,
            SCHEMA.headline,
            Literal(
                "Sekjen NATO: Jika Rusia Menang dalam Konflik di Ukraina akan Jadi Kekalahan bagi Aliansi", lang="id"
            ),
        ),
        (article, SCHEMA.articleSection, Literal("Konflik Rusia Vs Ukraina", lang="id")),
        (article, SCHEMA.datePublished, Literal("2022-10-11", datatype=XSD.date)),
        (article, SCHEMA.publisher, KGID["entity/org/tribunnews-com"]),
        (article, SCHEMA.author, KGID["entity/per/andari-wulan-nugrahani"]),
        (article, KG.nifContext, context),
        (context, RDF.type, NIF.Context),
        (context, NIF.isString, Literal(seed_text)),
        (context, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger)),
        (context, NIF.endIndex, Literal(len(seed_text), datatype=XSD.nonNegativeInteger)),
    }
    assert expected <= set(seed_graph)
    assert set(seed_graph.objects(article, SCHEMA.mentions)) >= {WD.Q57665, WD.Q7184, KGID["entity/per/dmitry-peskov"]}


def test_mention_triples(seed_graph: Graph, seed_text: str) -> None:
    start = seed_text.index("Jens Stoltenberg")
    article = f"{KGID}article/{read_article(SEED).id}"
    phrase = URIRef(f"{article}#char={start},{start + 16}")
    assert set(seed_graph.predicate_objects(phrase)) == {
        (RDF.type, NIF.Phrase),
        (RDF.type, NIF.OffsetBasedString),
        (NIF.referenceContext, URIRef(f"{article}#char=0,{len(seed_text)}")),
        (NIF.beginIndex, Literal(start, datatype=XSD.nonNegativeInteger)),
        (NIF.endIndex, Literal(start + 16, datatype=XSD.nonNegativeInteger)),
        (NIF.anchorOf, Literal("Jens Stoltenberg")),
        (ITSRDF.taIdentRef, WD.Q57665),
        (ITSRDF.taClassRef, SCHEMA.Person),
        (ITSRDF.taConfidence, Literal(1.0, datatype=XSD.double)),
    }


def test_every_offset_points_at_its_words(seed_graph: Graph, seed_text: str) -> None:
    phrases = list(seed_graph.subjects(RDF.type, NIF.Phrase))
    assert len(phrases) == 44
    for phrase in phrases:
        begin, end = (
            int(str(seed_graph.value(phrase, NIF.beginIndex))),
            int(str(seed_graph.value(phrase, NIF.endIndex))),
        )
        assert seed_text[begin:end] == str(seed_graph.value(phrase, NIF.anchorOf))


def test_anaphors_refer_to_their_entity_without_naming_it(seed_graph: Graph, seed_text: str) -> None:
    start = seed_text.index("bagi aliansi.") + len("bagi ")
    article = f"{KGID}article/{read_article(SEED).id}"
    anaphor = URIRef(f"{article}#char={start},{start + 7}")
    assert set(seed_graph.predicate_objects(anaphor)) == {
        (RDF.type, KG.Anaphor),
        (RDF.type, NIF.OffsetBasedString),
        (NIF.referenceContext, URIRef(f"{article}#char=0,{len(seed_text)}")),
        (NIF.beginIndex, Literal(start, datatype=XSD.nonNegativeInteger)),
        (NIF.endIndex, Literal(start + 7, datatype=XSD.nonNegativeInteger)),
        (NIF.anchorOf, Literal("aliansi")),
        (KG.refersTo, WD.Q7184),
    }
    assert len(list(seed_graph.subjects(RDF.type, KG.Anaphor))) == 4
    assert not [a for a in seed_graph.subjects(RDF.type, KG.Anaphor) if (a, ITSRDF.taIdentRef, None) in seed_graph]


def test_entities(seed_graph: Graph) -> None:
    assert (WD.Q57665, RDF.type, SCHEMA.Person) in seed_graph
    assert (WD.Q57665, RDFS.label, Literal("Jens Stoltenberg", lang="en")) in seed_graph
    assert (WD.Q239, RDF.type, SCHEMA.Place) in seed_graph
    assert (WD.Q223799, RDF.type, SCHEMA.Organization) in seed_graph
    peskov = KGID["entity/per/dmitry-peskov"]
    assert set(seed_graph.predicate_objects(peskov)) == {
        (RDF.type, SCHEMA.Person),
        (RDF.type, KG.LocalEntity),
        (RDFS.label, Literal("Dmitry Peskov", lang="id")),
    }
    assert (WD.Q57665, RDF.type, KG.LocalEntity) not in seed_graph


def test_statement_event_and_role_triples(seed_graph: Graph, seed_text: str) -> None:
    article_id = read_article(SEED).id
    article = URIRef(f"{KGID}article/{article_id}")
    text = "Kami memantau keputusan ini dengan sangat cermat"
    start = seed_text.index(text)
    (quote,) = seed_graph.subjects(SCHEMA.text, Literal(text, lang="id"))
    assert quote == KGID[f"statement/{article_id}-{start}-{start + len(text)}"]  # one statement per occasion
    span = URIRef(f"{article}#char={start},{start + len(text)}")
    (words,) = seed_graph.objects(quote, KG.words)  # what the occasions of these words share
    assert re.fullmatch(rf"{KGID}words/[0-9a-f]{{16}}", str(words))
    assert set(seed_graph.predicate_objects(words)) == {(RDF.type, KG.Words)}
    assert set(seed_graph.predicate_objects(quote)) == {
        (RDF.type, KG.Statement),
        (RDF.type, SCHEMA.Quotation),
        (RDF.type, KG.DirectQuote),
        (SCHEMA.text, Literal(text, lang="id")),
        (SCHEMA.inLanguage, Literal("id")),
        (SCHEMA.creator, KGID["entity/per/dmitry-peskov"]),
        (KG.reportedVia, WD.Q223799),
        (SCHEMA.dateCreated, Literal("2022-10-03", datatype=XSD.date)),
        (KG.textSpan, span),
        (PROV.wasDerivedFrom, article),
        (KG.words, words),
    }
    assert (span, NIF.anchorOf, Literal(text)) in seed_graph
    # reported speech is a kg:Statement but not a schema:Quotation (the words are the article's)
    reported_text = Literal("NATO harus siap menghadapi perang panjang di Ukraina", lang="id")
    (reported,) = seed_graph.subjects(SCHEMA.text, reported_text)
    assert set(seed_graph.objects(reported, RDF.type)) == {KG.Statement, KG.ReportedStatement}
    assert set(seed_graph.subjects(RDF.type, SCHEMA.Quotation)) == set(seed_graph.subjects(RDF.type, KG.DirectQuote))
    assert len(set(seed_graph.subjects(RDF.type, KG.Statement))) == 14
    meeting = KGID["event/meeting/2022-10-12/Q239"]
    assert set(seed_graph.predicate_objects(meeting)) == {
        (RDF.type, SCHEMA.Event),
        (RDF.type, KG.Meeting),
        (RDFS.label, Literal("pertemuan para Menteri Pertahanan anggota NATO", lang="id")),
        (SCHEMA.startDate, Literal("2022-10-12", datatype=XSD.date)),
        (SCHEMA.endDate, Literal("2022-10-13", datatype=XSD.date)),
        (SCHEMA.location, WD.Q239),
        (SCHEMA.organizer, WD.Q7184),
        (KG.textSpan, URIRef(f"{article}#char=553,599")),
        (PROV.wasDerivedFrom, article),
    }
    press = KGID[f"event/{article_id}-527-542"]
    stoltenberg_quotes = set(seed_graph.subjects(SCHEMA.creator, WD.Q57665))
    assert len(stoltenberg_quotes) == 8
    assert all((q, SCHEMA.recordedAt, press) in seed_graph for q in stoltenberg_quotes)
    role = KGID[f"role/{article_id}-114-142"]
    assert set(seed_graph.predicate_objects(role)) == {
        (RDF.type, KG.RoleStatement),
        (KG.roleHolder, WD.Q57665),
        (SCHEMA.roleName, Literal("Sekjen", lang="id")),
        (KG.roleIn, WD.Q7184),
        (KG.position, WD.Q167662),
        (KG.asOf, Literal("2022-10-11", datatype=XSD.date)),
        (KG.textSpan, URIRef(f"{article}#char=114,142")),
        (PROV.wasDerivedFrom, article),
    }
    assert (WD.Q167662, RDFS.label, Literal("Secretary General of NATO", lang="en")) in seed_graph


def test_no_blank_nodes(seed_graph: Graph) -> None:
    assert not [t for t in seed_graph if any(isinstance(term, BNode) for term in t)]


def test_two_runs_write_the_same_bytes(tmp_path: Path) -> None:
    article = read_article(SEED)
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    write_graph(extract(article).graph, first)
    write_graph(extract(article).graph, second)
    assert first.read_bytes() == second.read_bytes()


def test_turtle_parses_in_pyoxigraph_too(seed_result: ArticleResult, seed_graph: Graph, tmp_path: Path) -> None:
    path = tmp_path / "seed.ttl"
    write_graph(seed_result.graph, path)
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(seed_graph)
    assert isomorphic(Graph().parse(path), seed_graph)
    stoltenberg = pyoxigraph.NamedNode("http://www.wikidata.org/entity/Q57665")
    label = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    labels = store.quads_for_pattern(stoltenberg, label, None)
    assert [q.object.value for q in labels if isinstance(q.object, pyoxigraph.Literal)] == ["Jens Stoltenberg"]


def test_text_that_needs_escaping_survives_both_parsers() -> None:
    """Quotes, backslashes, both line breaks, tabs and characters beyond the BMP in the text."""
    text = (
        'Menlu Retno Marsudi tiba di Jakarta.\r\n"Kami siap \\ berunding\tkapan saja 🙂," kata Retno.\n'
        'Ia menyebut folder C:\\arsip\\"lama" sudah dihapus.'
    )
    article = Article.from_text(text, "id")
    result = extract(article)
    assert result.report.conforms, result.report.describe()
    context = URIRef(f"{KGID}article/{article.id}#char=0,{len(text)}")
    assert str(result.graph.to_rdflib().value(context, NIF.isString)) == text
    store = pyoxigraph.Store()
    store.load(result.graph.turtle(), format=pyoxigraph.RdfFormat.TURTLE)
    (literal,) = [
        q.object
        for q in store.quads_for_pattern(
            pyoxigraph.NamedNode(str(context)), pyoxigraph.NamedNode(str(NIF.isString)), None
        )
    ]
    assert isinstance(literal, pyoxigraph.Literal) and literal.value == text
    texts = store.quads_for_pattern(None, pyoxigraph.NamedNode(str(SCHEMA.text)), None)
    said = sorted(q.object.value for q in texts if isinstance(q.object, pyoxigraph.Literal))
    assert said == ["Kami siap \\ berunding\tkapan saja 🙂", 'folder C:\\arsip\\"lama" sudah dihapus']


def test_every_serialization_holds_the_same_triples(seed_result: ArticleResult) -> None:
    graph = seed_result.graph
    expected = set(pyoxigraph.parse(graph.ntriples(), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert len(expected) == len(graph) == 775
    assert set(pyoxigraph.parse(graph.turtle(), format=pyoxigraph.RdfFormat.TURTLE)) == expected
    for data, rdf_format in ((graph.nquads(), pyoxigraph.RdfFormat.N_QUADS), (graph.trig(), pyoxigraph.RdfFormat.TRIG)):
        quads = list(pyoxigraph.parse(data, format=rdf_format))
        assert {q.graph_name for q in quads} == {pyoxigraph.NamedNode(graph.name)}
        assert {pyoxigraph.Quad(q.subject, q.predicate, q.object) for q in quads} == expected
    assert len(graph.to_rdflib()) == 775
    assert graph.name == f"{KGID}article/{read_article(SEED).id}"


def test_an_article_graph_holds_its_triples_sorted_and_once() -> None:
    a, b, c = (("<urn:x:a>", "<urn:x:p>", f'"{n}"') for n in "abc")
    assert ArticleGraph.of("urn:x:g", [c, a, b, a, c, c]).triples == (a, b, c)
    assert ArticleGraph.of("urn:x:g", [a, b, c]).triples == (a, b, c)
    assert ArticleGraph.of("urn:x:g", []).triples == ()
