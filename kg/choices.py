"""The values kg's options take, each an Enum defined once: the library takes them, the CLI offers them.

Kept apart from the modules that use them (and free of their imports) so that ``kg --help`` starts
without loading spaCy, rdflib or pyshacl. Each is re-exported where it belongs:
``kg.batch.OutputFormat``, ``kg.query.QueryFormat``, ``kg.store.Flavor``/``Method``,
``kg.validate.Engine``, ``kg.pipeline.NameFinder``, ``kg.validate_report.ReportFormat``/``Severity``.
"""

from __future__ import annotations

from enum import Enum

SEVERITIES = ("Violation", "Warning", "Info")  # SHACL's, most severe first


class OutputFormat(str, Enum):
    """ttl: a Turtle file per article; nq or trig: one stream, a named graph per article."""

    ttl = "ttl"
    nq = "nq"
    trig = "trig"

    @property
    def streaming(self) -> bool:
        return self is not OutputFormat.ttl


class QueryFormat(str, Enum):
    """table (a terminal), csv or json (SPARQL results JSON) for SELECT/ASK; ttl for CONSTRUCT/DESCRIBE."""

    table = "table"
    csv = "csv"
    json = "json"
    ttl = "ttl"


class Flavor(str, Enum):
    """Which paths under the endpoint URL a server uses: Oxigraph /query, /update and /store; Fuseki /data."""

    oxigraph = "oxigraph"
    fuseki = "fuseki"

    @property
    def paths(self) -> tuple[str, str, str]:
        """The query, update and Graph Store Protocol paths."""
        return ("query", "update", "store") if self is Flavor.oxigraph else ("query", "update", "data")


class Method(str, Enum):
    """How graphs go to a server: SPARQL Update, a batch per request, or one Graph Store ``PUT`` each."""

    update = "update"
    gsp = "gsp"


class Engine(str, Enum):
    """fast: kg's compiled shapes; pyshacl: the reference engine; auto: fast unless the shapes need pyshacl."""

    auto = "auto"
    fast = "fast"
    pyshacl = "pyshacl"


class ReportFormat(str, Enum):
    """text for people, json for scripts, junit for CI test reports."""

    text = "text"
    json = "json"
    junit = "junit"


class Severity(str, Enum):
    """The severity a run fails on (that or worse), as options write it; :attr:`shacl` as SHACL does."""

    violation = "violation"
    warning = "warning"
    info = "info"

    @property
    def shacl(self) -> str:
        return next(name for name in SEVERITIES if name.lower() == self.value)


class NameFinder(str, Enum):
    """rules: the KB and cue words; learned: those, and a model learned from Indonesian NER corpora for
    the names they miss (Indonesian only; English keeps the rules)."""

    learned = "learned"
    rules = "rules"


DEFAULT_NAME_FINDER = NameFinder.rules  # learned beats rules on IndEL but not yet on news-dev (#15)
