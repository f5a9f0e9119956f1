"""The values kg's options take, each an Enum defined once: the library takes them, the CLI offers them.

Kept apart from the modules that use them (and free of their imports) so that ``kg --help`` starts
without loading spaCy, rdflib or pyshacl. Each is re-exported where it belongs:
``kg.batch.OutputFormat``, ``kg.query.QueryFormat``, ``kg.store.Flavor``/``Method``,
``kg.validate.Engine``, ``kg.pipeline.NameFinder``, ``kg.validate_report.ReportFormat``/``Severity``.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

SEVERITIES = ("Violation", "Warning", "Info")  # SHACL's, most severe first


class OutputFormat(str, Enum):
    """ttl: a Turtle file per article; jsonld: a JSON-LD file per article, its @context inline (read
    offline); nq or trig: one stream, a named graph per article."""

    ttl = "ttl"
    jsonld = "jsonld"
    nq = "nq"
    trig = "trig"

    @property
    def streaming(self) -> bool:
        return self not in (OutputFormat.ttl, OutputFormat.jsonld)

    @property
    def kind(self) -> str:
        """What the format is called in messages ("the Turtle files")."""
        return {"ttl": "Turtle", "jsonld": "JSON-LD", "nq": "N-Quads", "trig": "TriG"}[self.value]


class QueryFormat(str, Enum):
    """table (a terminal), csv or json (SPARQL results JSON) for SELECT/ASK; ttl for CONSTRUCT/DESCRIBE."""

    table = "table"
    csv = "csv"
    json = "json"
    ttl = "ttl"


class Flavor(str, Enum):
    """Where under the endpoint URL a store takes queries, updates and Graph Store requests (:data:`STORE_PATHS`)."""

    oxigraph = "oxigraph"
    fuseki = "fuseki"
    graphdb = "graphdb"
    rdf4j = "rdf4j"
    virtuoso = "virtuoso"
    blazegraph = "blazegraph"

    @property
    def paths(self) -> tuple[str, str, str | None]:
        """The query, update and Graph Store Protocol paths ("" is the endpoint itself; None: the store has none)."""
        return STORE_PATHS[self].query, STORE_PATHS[self].update, STORE_PATHS[self].gsp

    @property
    def form(self) -> bool:
        """Whether queries and updates go as HTML form fields (query=, update=) rather than as the request body."""
        return STORE_PATHS[self].form


class StorePaths(NamedTuple):
    endpoint: str  # what --endpoint points at, as the store's documentation has it
    query: str
    update: str
    gsp: str | None
    form: bool = False


STORE_PATHS: dict[Flavor, StorePaths] = {
    Flavor.oxigraph: StorePaths("http://host:7878", "query", "update", "store"),
    Flavor.fuseki: StorePaths("http://host:3030/DATASET", "query", "update", "data"),
    Flavor.graphdb: StorePaths("http://host:7200/repositories/REPO", "", "statements", "rdf-graphs/service"),
    Flavor.rdf4j: StorePaths("http://host:8080/rdf4j-server/repositories/REPO", "", "statements", "rdf-graphs/service"),
    Flavor.virtuoso: StorePaths("http://host:8890", "sparql", "sparql", "sparql-graph-crud", form=True),
    Flavor.blazegraph: StorePaths("http://host:9999/blazegraph/namespace/NS", "sparql", "sparql", None, form=True),
}


class Method(str, Enum):
    """How graphs go to a server: SPARQL Update, a batch per request; one Graph Store ``PUT`` each; or
    ``nquads``, a batch's new graphs in one N-Quads ``POST`` to the dataset (the store's own loader,
    no SPARQL to parse; Oxigraph and Fuseki apply it in one transaction)."""

    update = "update"
    gsp = "gsp"
    nquads = "nquads"


class Engine(str, Enum):
    """fast: kg's compiled shapes; pyshacl: the reference engine; auto: fast unless the shapes need pyshacl."""

    auto = "auto"
    fast = "fast"
    pyshacl = "pyshacl"


class InputFormat(str, Enum):
    """An RDF format by its usual suffix (rdf: RDF/XML), for input without a file name."""

    ttl = "ttl"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    jsonld = "jsonld"
    rdf = "rdf"


class ReportFormat(str, Enum):
    """text for people, json for scripts, junit for CI test reports, ttl an sh:ValidationReport per file."""

    text = "text"
    json = "json"
    junit = "junit"
    ttl = "ttl"


class Severity(str, Enum):
    """The severity a run fails on (that or worse), as options write it; :attr:`shacl` as SHACL does."""

    violation = "violation"
    warning = "warning"
    info = "info"

    @property
    def shacl(self) -> str:
        return next(name for name in SEVERITIES if name.lower() == self.value)


class NameFinder(str, Enum):
    """learned (the default): the KB and cue words, and a model learned from Indonesian NER corpora for the
    names they miss (Indonesian; English keeps the rules unless --ner-model names a spaCy pipeline); rules:
    the KB and cue words alone."""

    learned = "learned"
    rules = "rules"


# learned beats rules on IndEL (mention F1 .581 -> .746) and on news-dev (.942 -> .951), kg/models/README.md (#15)
DEFAULT_NAME_FINDER = NameFinder.learned
