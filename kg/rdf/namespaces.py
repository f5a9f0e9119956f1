"""Every vocabulary the graph uses, as rdflib ``Namespace`` objects: the one place that knows IRIs."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import PROV, RDF, RDFS, XSD, NamespaceManager

SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")
KG = Namespace("https://w3id.org/kg-news/ontology#")
KGID = Namespace("https://w3id.org/kg-news/id/")

PREFIXES = {
    "schema": SCHEMA,
    "nif": NIF,
    "itsrdf": ITSRDF,
    "wd": WD,
    "kg": KG,
    "kgid": KGID,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

WIKIDATA_ENTITY_PATTERN = r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$"


def bind_prefixes(graph: Graph) -> Graph:
    manager = NamespaceManager(graph, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace, override=True)
    graph.namespace_manager = manager
    return graph
