"""Records to triples: the article as ``schema:NewsArticle``, its text as a NIF context, every
mention as a ``nif:Phrase`` pointing (``itsrdf:taIdentRef``) at its entity node; statements as
``schema:Quotation``, events as ``schema:Event``, roles as ``kg:RoleStatement``, each tied to the
words it was read from (``kg:textSpan``) and to the article (``prov:wasDerivedFrom``).

No blank nodes anywhere, so two runs over the same article give graphs that are equal triple
for triple, and reloading an article into a store replaces exactly what it added.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.rdf.iris import article_iri, char_iri, entity_iri, event_iri, role_iri, statement_iri
from kg.rdf.namespaces import ITSRDF, KG, NIF, SCHEMA, WD, bind_prefixes
from kg.records import ArticleInfo, Entity, EntityType, Event, Extraction, Role, Statement

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
    if info.extracted_from:  # the offsets count into the text extracted from this page, not the page
        add((context, KG.extractedFrom, URIRef(info.extracted_from)))

    nodes: dict[str, URIRef] = {}
    mentioned = {mention.entity_key for mention in extraction.mentions}
    for entity in extraction.entities:
        node = nodes[entity.key] = entity_iri(entity)
        _add_entity(graph, node, entity)
        if entity.key in mentioned:
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

    event_nodes = [_add_event(graph, info, event, nodes) for event in extraction.events]
    for statement in extraction.statements:
        _add_statement(graph, info, statement, nodes, event_nodes)
    for role in extraction.roles:
        _add_role(graph, info, role, nodes)
    return graph


def _add_span(graph: Graph, info: ArticleInfo, start: int, end: int) -> URIRef:
    """The words a statement, event or role was read from, as a NIF string of the article's context."""
    span = char_iri(info.id, start, end)
    graph.add((span, RDF.type, NIF.OffsetBasedString))
    graph.add((span, NIF.referenceContext, char_iri(info.id, 0, len(info.text))))
    graph.add((span, NIF.beginIndex, _index(start)))
    graph.add((span, NIF.endIndex, _index(end)))
    graph.add((span, NIF.anchorOf, Literal(info.text[start:end])))
    return span


def _add_statement(
    graph: Graph, info: ArticleInfo, statement: Statement, nodes: dict[str, URIRef], events: list[URIRef]
) -> None:
    node = statement_iri(statement.speaker_key, statement.text, info.id, statement.start)
    add = graph.add
    add((node, RDF.type, SCHEMA.Quotation))
    add((node, RDF.type, KG.DirectQuote if statement.direct else KG.ReportedStatement))
    add((node, SCHEMA.text, Literal(statement.text, lang=info.lang)))
    add((node, SCHEMA.inLanguage, Literal(info.lang)))
    add((node, KG.textSpan, _add_span(graph, info, statement.start, statement.end)))
    add((node, PROV.wasDerivedFrom, article_iri(info.id)))
    if statement.speaker_key:
        add((node, SCHEMA.creator, nodes[statement.speaker_key]))
    else:
        add((node, RDF.type, KG.UnattributedStatement))
    if statement.channel_key:
        add((node, KG.reportedVia, nodes[statement.channel_key]))
    if statement.to_reporters:
        add((node, KG.saidToReporters, Literal(True)))
    if statement.date:
        add((node, SCHEMA.dateCreated, Literal(statement.date.isoformat(), datatype=XSD.date)))
    if statement.event is not None:
        add((node, SCHEMA.recordedAt, events[statement.event]))


def _add_event(graph: Graph, info: ArticleInfo, event: Event, nodes: dict[str, URIRef]) -> URIRef:
    node = event_iri(info.id, event)
    add = graph.add
    add((node, RDF.type, SCHEMA.Event))
    add((node, RDF.type, KG[event.type.value]))
    add((node, RDFS.label, Literal(event.label, lang=info.lang)))
    add((node, KG.textSpan, _add_span(graph, info, event.start, event.end)))
    add((node, PROV.wasDerivedFrom, article_iri(info.id)))
    if event.start_date:
        add((node, SCHEMA.startDate, Literal(event.start_date.isoformat(), datatype=XSD.date)))
    if event.end_date:
        add((node, SCHEMA.endDate, Literal(event.end_date.isoformat(), datatype=XSD.date)))
    if event.location_key:
        add((node, SCHEMA.location, nodes[event.location_key]))
    if event.organizer_key:
        add((node, SCHEMA.organizer, nodes[event.organizer_key]))
    for attendee in event.attendee_keys:
        add((node, SCHEMA.attendee, nodes[attendee]))
    return node


def _add_role(graph: Graph, info: ArticleInfo, role: Role, nodes: dict[str, URIRef]) -> None:
    node = role_iri(info.id, role.start, role.end)
    add = graph.add
    add((node, RDF.type, KG.RoleStatement))
    add((node, KG.roleHolder, nodes[role.holder_key]))
    add((node, SCHEMA.roleName, Literal(role.title, lang=info.lang)))
    add((node, KG.textSpan, _add_span(graph, info, role.start, role.end)))
    add((node, PROV.wasDerivedFrom, article_iri(info.id)))
    if role.of_key:
        add((node, KG.roleIn, nodes[role.of_key]))
    if role.position_qid:
        position = WD[role.position_qid]
        add((node, KG.position, position))
        if role.position_label:
            add((position, RDFS.label, Literal(role.position_label, lang="en")))
    if info.published:
        add((node, KG.asOf, Literal(info.published.isoformat(), datatype=XSD.date)))


def _add_entity(graph: Graph, node: URIRef, entity: Entity) -> None:
    graph.add((node, RDF.type, ENTITY_CLASS[entity.type]))
    graph.add((node, RDFS.label, Literal(entity.label, lang=entity.label_lang or "en")))
    if not entity.qid:
        graph.add((node, RDF.type, KG.LocalEntity))


def _index(value: int) -> Literal:
    return Literal(value, datatype=XSD.nonNegativeInteger)
