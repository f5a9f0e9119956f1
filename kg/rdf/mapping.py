"""Records to triples: the article as ``schema:NewsArticle``, its text as a NIF context, every
mention as a ``nif:Phrase`` pointing (``itsrdf:taIdentRef``) at its entity node; statements as
``kg:Statement`` (direct quotes also ``schema:Quotation``), events as ``schema:Event``, roles as
``kg:RoleStatement``, each tied to the words it was read from (``kg:textSpan``) and to the article
(``prov:wasDerivedFrom``).

No blank nodes anywhere, so two runs over the same article give graphs that are equal triple
for triple, and reloading an article into a store replaces exactly what it added.
"""

from __future__ import annotations

from rdflib.namespace import PROV, RDF, RDFS

from kg.rdf.graph import ArticleGraph
from kg.rdf.iris import article_iri, char_iri, entity_iri, event_iri, role_iri, statement_iri, wikidata_iri, words_iri
from kg.rdf.namespaces import ITSRDF, KG, NIF, SCHEMA
from kg.rdf.terms import Vocabulary, boolean, day, double, iri, literal, non_negative
from kg.records import Entity, EntityType, Event, Extraction, Role, Statement

# Terms in N-Triples form, named like the Turtle prefixes they print as (kgo: kg's ontology).
schema, nif, itsrdf, kgo, prov = (Vocabulary(ns) for ns in (SCHEMA, NIF, ITSRDF, KG, PROV))
TYPE, LABEL = iri(str(RDF.type)), iri(str(RDFS.label))
ENTITY_CLASS = {EntityType.PER: schema.Person, EntityType.ORG: schema.Organization, EntityType.LOC: schema.Place}


def to_article_graph(extraction: Extraction) -> ArticleGraph:
    """The article's triples, ready to validate, serialize or load."""
    return _Writer(extraction).write()


class _Writer:
    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self.info = extraction.article
        self.article = iri(article_iri(self.info.id))
        self.context = iri(char_iri(self.info.id, 0, len(self.info.text)))
        self.triples: list[tuple[str, str, str]] = []
        self.nodes: dict[str, str] = {}  # entity key -> its IRI

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.triples.append((subject, predicate, obj))

    def write(self) -> ArticleGraph:
        self._article()
        self._entities()
        self._mentions()
        self._anaphors()
        events = [self._event(event) for event in self.extraction.events]
        for statement in self.extraction.statements:
            self._statement(statement, events)
        for role in self.extraction.roles:
            self._role(role)
        return ArticleGraph.of(article_iri(self.info.id), self.triples)

    def _article(self) -> None:
        info, add, article, context = self.info, self.add, self.article, self.context
        add(article, TYPE, schema.NewsArticle)
        add(article, schema.inLanguage, literal(info.lang))
        add(article, kgo.nifContext, context)
        if info.headline:
            add(article, schema.headline, literal(info.headline, lang=info.lang))
        if info.section:
            add(article, schema.articleSection, literal(info.section, lang=info.lang))
        if info.published:
            add(article, schema.datePublished, day(info.published))
        if info.url:
            add(article, schema.url, iri(info.url))
        add(context, TYPE, nif.Context)
        add(context, TYPE, nif.OffsetBasedString)
        add(context, nif.isString, literal(info.text))
        add(context, nif.beginIndex, non_negative(0))
        add(context, nif.endIndex, non_negative(len(info.text)))
        if info.url:
            add(context, nif.sourceUrl, iri(info.url))
        # the offsets count into the text extracted from this page, not the page: its URL when known, else
        # the input as given (a relative path is no IRI, and a file:// IRI would name one machine's file)
        if info.extracted_from:
            add(context, kgo.extractedFrom, iri(info.extracted_from))
        elif info.extracted_from_input:
            add(context, kgo.extractedFromInput, literal(info.extracted_from_input))

    def _entities(self) -> None:
        info, add, article, nodes = self.info, self.add, self.article, self.nodes
        mentioned = {mention.entity_key for mention in self.extraction.mentions}
        for entity in self.extraction.entities:
            node = nodes[entity.key] = iri(entity_iri(entity))
            self._entity(node, entity)
            if entity.key in mentioned:
                add(article, schema.mentions, node)
        if info.publisher_key:
            add(article, schema.publisher, nodes[info.publisher_key])
        if info.location_key:
            add(article, schema.locationCreated, nodes[info.location_key])
        for author in info.author_keys:
            add(article, schema.author, nodes[author])
        for editor in info.editor_keys:
            add(article, schema.editor, nodes[editor])

    def _entity(self, node: str, entity: Entity) -> None:
        self.add(node, TYPE, ENTITY_CLASS[entity.type])
        self.add(node, LABEL, literal(entity.label, lang=entity.label_lang or "en"))
        if not entity.qid:
            self.add(node, TYPE, kgo.LocalEntity)

    def _mentions(self) -> None:
        add, info, context = self.add, self.info, self.context
        types = {entity.key: ENTITY_CLASS[entity.type] for entity in self.extraction.entities}
        for mention in self.extraction.mentions:
            phrase = iri(char_iri(info.id, mention.start, mention.end))
            add(phrase, TYPE, nif.Phrase)
            add(phrase, TYPE, nif.OffsetBasedString)
            add(phrase, nif.referenceContext, context)
            add(phrase, nif.beginIndex, non_negative(mention.start))
            add(phrase, nif.endIndex, non_negative(mention.end))
            add(phrase, nif.anchorOf, literal(mention.text))
            add(phrase, itsrdf.taIdentRef, self.nodes[mention.entity_key])
            add(phrase, itsrdf.taClassRef, types[mention.entity_key])
            add(phrase, itsrdf.taConfidence, double(mention.confidence))

    def _anaphors(self) -> None:
        """ "aliansi" standing for NATO: a NIF string typed kg:Anaphor that kg:refersTo the entity. Not a
        nif:Phrase with itsrdf:taIdentRef, which says "this names that entity"; a common noun does not."""
        for anaphor in self.extraction.anaphors:
            span = self._span(anaphor.start, anaphor.end)
            self.add(span, TYPE, kgo.Anaphor)
            self.add(span, kgo.refersTo, self.nodes[anaphor.entity_key])

    def _span(self, start: int, end: int) -> str:
        """The words a statement, event or role was read from, as a NIF string of the article's context."""
        span = iri(char_iri(self.info.id, start, end))
        self.add(span, TYPE, nif.OffsetBasedString)
        self.add(span, nif.referenceContext, self.context)
        self.add(span, nif.beginIndex, non_negative(start))
        self.add(span, nif.endIndex, non_negative(end))
        self.add(span, nif.anchorOf, literal(self.info.text[start:end]))
        return span

    def _statement(self, statement: Statement, events: list[str]) -> None:
        info, add = self.info, self.add
        node = iri(statement_iri(info.id, statement.start, statement.end))
        add(node, TYPE, kgo.Statement)
        if statement.direct:  # schema:Quotation is for quoted words: reported speech is not one
            add(node, TYPE, schema.Quotation)
            add(node, TYPE, kgo.DirectQuote)
        else:
            add(node, TYPE, kgo.ReportedStatement)
        add(node, schema.text, literal(statement.text, lang=info.lang))
        add(node, schema.inLanguage, literal(info.lang))
        add(node, kgo.textSpan, self._span(statement.start, statement.end))
        add(node, prov.wasDerivedFrom, self.article)
        if statement.speaker_key:
            add(node, schema.creator, self.nodes[statement.speaker_key])
            # what every occasion of these words shares; only the type, so no two articles can
            # give it two values (texts that fold alike, "Benin"/"Bénin", keep their own schema:text)
            words = iri(words_iri(statement.speaker_key, statement.text))
            add(node, kgo.words, words)
            add(words, TYPE, kgo.Words)
        else:
            add(node, TYPE, kgo.UnattributedStatement)
        if statement.channel_key:
            add(node, kgo.reportedVia, self.nodes[statement.channel_key])
        if statement.to_reporters:
            add(node, kgo.saidToReporters, boolean(True))
        if statement.date:
            add(node, schema.dateCreated, day(statement.date))
        if statement.event is not None:
            add(node, schema.recordedAt, events[statement.event])

    def _event(self, event: Event) -> str:
        info, add = self.info, self.add
        node = iri(event_iri(info.id, event))
        add(node, TYPE, schema.Event)
        add(node, TYPE, kgo[event.type.value])
        add(node, LABEL, literal(event.label, lang=info.lang))
        add(node, kgo.textSpan, self._span(event.start, event.end))
        add(node, prov.wasDerivedFrom, self.article)
        if event.start_date:
            add(node, schema.startDate, day(event.start_date))
        if event.end_date:
            add(node, schema.endDate, day(event.end_date))
        if event.location_key:
            add(node, schema.location, self.nodes[event.location_key])
        if event.organizer_key:
            add(node, schema.organizer, self.nodes[event.organizer_key])
        for attendee in event.attendee_keys:
            add(node, schema.attendee, self.nodes[attendee])
        return node

    def _role(self, role: Role) -> None:
        info, add = self.info, self.add
        node = iri(role_iri(info.id, role.start, role.end))
        add(node, TYPE, kgo.RoleStatement)
        add(node, kgo.roleHolder, self.nodes[role.holder_key])
        add(node, schema.roleName, literal(role.title, lang=info.lang))
        add(node, kgo.textSpan, self._span(role.start, role.end))
        add(node, prov.wasDerivedFrom, self.article)
        if role.of_key:
            add(node, kgo.roleIn, self.nodes[role.of_key])
        if role.position_qid:
            position = iri(wikidata_iri(role.position_qid))
            add(node, kgo.position, position)
            if role.position_label:
                add(position, LABEL, literal(role.position_label, lang="en"))
        if info.published:
            add(node, kgo.asOf, day(info.published))
