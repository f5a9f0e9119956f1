"""JSON-LD written from an article graph: one document, its ``@context`` inline, a node per subject.

Readers of schema.org data expect ``"@context"``, and most point it at ``https://schema.org/``; kg
writes the context out instead (the prefixes of :mod:`kg.rdf.namespaces`), so the file means the
same offline and nothing is fetched to read it (``kg validate`` refuses remote contexts). The
document is the flattened form, a ``@graph`` of nodes in the graph's sorted subject order, every
IRI a compact IRI where a prefix fits, so two runs give the same bytes. Literals keep their exact
lexical form: strings bare, others as ``{"@value", "@type"|"@language"}`` objects, never JSON
numbers, which a JSON-LD reader would turn into canonical ``xsd:integer``/``xsd:double`` forms.
The graph is the default graph, as in the Turtle file (a top-level ``@id`` would name one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class JsonLdWriter:
    """Writes graphs with one context; an IRI's compact form is worked out once per writer."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.context = dict(sorted(prefixes.items()))
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.compact: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        """``prefix:local`` under the longest namespace that holds the IRI, else the IRI in full. A local
        part starting ``//`` would be read as an absolute IRI, so that one stays in full."""
        form = self.compact.get(iri)
        if form is None:
            form = iri
            for name, namespace in self.prefixes:
                if iri.startswith(namespace) and not iri[len(namespace) :].startswith("//"):
                    form = f"{name}:{iri[len(namespace) :]}"
                    break
            self.compact[iri] = form
        return form

    def value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
        """An object as JSON-LD writes it: a node reference, a bare string, or a value object."""
        if isinstance(term, ox.NamedNode):
            return {"@id": self.iri(term.value)}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if isinstance(term, ox.Literal):
            if term.language is not None:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == _XSD_STRING:
                return term.value
            return {"@value": term.value, "@type": self.iri(term.datatype.value)}
        raise ValueError(f"JSON-LD 1.0 cannot hold an RDF-star quoted triple: {term}")

    def document(self, triples: Iterable[ox.Triple | ox.Quad]) -> dict[str, Any]:
        """The triples (a subject's together, in order) as one JSON-LD document."""
        nodes: list[dict[str, Any]] = []
        last: str | None = None
        node: dict[str, Any] = {}
        for triple in triples:
            subject = triple.subject
            key = str(subject)
            if key != last:
                node = {"@id": self.value(subject)["@id"]}  # a quoted triple is refused there too
                nodes.append(node)
                last = key
            predicate, obj = triple.predicate.value, triple.object
            if predicate == _RDF_TYPE and isinstance(obj, ox.NamedNode):
                _add(node, "@type", self.iri(obj.value))
            else:
                _add(node, self.iri(predicate), self.value(obj))
        return {"@context": self.context, "@graph": nodes}

    def write(self, triples: Iterable[ox.Triple | ox.Quad]) -> bytes:
        """The document as UTF-8 JSON, two-space indented, ending in a newline."""
        return (json.dumps(self.document(triples), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _add(node: dict[str, Any], key: str, value: Any) -> None:
    """One value bare, more as an array in the order they came."""
    held = node.get(key)
    if held is None:
        node[key] = value
    elif isinstance(held, list):
        held.append(value)
    else:
        node[key] = [held, value]
