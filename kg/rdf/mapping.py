"""Records to triples: the article as ``schema:NewsArticle``, its text as a NIF context, every
mention as a ``nif:Phrase`` pointing (``itsrdf:taIdentRef``) at its entity node.

No blank nodes anywhere, so two runs over the same article give graphs that are equal triple
for triple, and reloading an article into a store replaces exactly what it added.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.rdf.iris import article_iri, char_iri, entity_iri
from kg.rdf.namespaces import ITSRDF, KG, NIF, SCHEMA, bind_prefixes
from kg.records import Entity, EntityType, Extraction

ENTITY_CLASS = {EntityType.PER: SCHEMA.Person, EntityType.ORG: SCHEMA.Organization, EntityType.LOC: SCHEMA.Place}


def to_graph(extraction: Extraction) -> Graph:
    graph = bind_prefixes(Graph())
    info = extraction.article
    article = article_iri(info.id)
    context = char_iri(info.id, 0, len(info.text))
    add = graph.add

    add((article, RDF.type, SCHEMA.NewsArticle))
    add((article, SCHEMA.inLanguage, Literal(info.lang)))
    add((article, KG.nifContext, context))
    if info.headline:
        add((article, SCHEMA.headline, Literal(info.headline, lang=info.lang)))
    if info.section:
        add((article, SCHEMA.articleSection, Literal(info.section, lang=info.lang)))
    if info.published:
        add((article, SCHEMA.datePublished, Literal(info.published.isoformat(), datatype=XSD.date)))
    if info.url:
        add((article, SCHEMA.url, URIRef(info.url)))

    add((context, RDF.type, NIF.Context))
    add((context, RDF.type, NIF.OffsetBasedString))
    add((context, NIF.isString, Literal(info.text)))
    add((context, NIF.beginIndex, _index(0)))
    add((context, NIF.endIndex, _index(len(info.text))))
    if info.url:
        add((context, NIF.sourceUrl, URIRef(info.url)))

    nodes: dict[str, URIRef] = {}
    for entity in extraction.entities:
        node = nodes[entity.key] = entity_iri(entity)
        _add_entity(graph, node, entity)
        add((article, SCHEMA.mentions, node))
    if info.publisher_key:
        add((article, SCHEMA.publisher, nodes[info.publisher_key]))
    if info.location_key:
        add((article, SCHEMA.locationCreated, nodes[info.location_key]))
    for author in info.author_keys:
        add((article, SCHEMA.author, nodes[author]))
    for editor in info.editor_keys:
        add((article, SCHEMA.editor, nodes[editor]))

    types = {entity.key: entity.type for entity in extraction.entities}
    for mention in extraction.mentions:
        phrase = char_iri(info.id, mention.start, mention.end)
        add((phrase, RDF.type, NIF.Phrase))
        add((phrase, RDF.type, NIF.OffsetBasedString))
        add((phrase, NIF.referenceContext, context))
        add((phrase, NIF.beginIndex, _index(mention.start)))
        add((phrase, NIF.endIndex, _index(mention.end)))
        add((phrase, NIF.anchorOf, Literal(mention.text)))
        add((phrase, ITSRDF.taIdentRef, nodes[mention.entity_key]))
        add((phrase, ITSRDF.taClassRef, ENTITY_CLASS[types[mention.entity_key]]))
        add((phrase, ITSRDF.taConfidence, Literal(mention.confidence, datatype=XSD.double)))
    return graph


def _add_entity(graph: Graph, node: URIRef, entity: Entity) -> None:
    graph.add((node, RDF.type, ENTITY_CLASS[entity.type]))
    graph.add((node, RDFS.label, Literal(entity.label, lang=entity.label_lang or "en")))
    if not entity.qid:
        graph.add((node, RDF.type, KG.LocalEntity))


def _index(value: int) -> Literal:
    return Literal(value, datatype=XSD.nonNegativeInteger)
