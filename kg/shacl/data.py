"""One data graph as the compiled shapes read it: N-Triples terms indexed by subject, once per graph."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from kg.rdf.oxigraph import to_ox

Triple = tuple[str, str, str]  # N-Triples terms
Targets = tuple[tuple[str, str], ...]  # (kind, N-Triples term): ("class", "<…>"), ("objectsOf", "<…>"), …
RDF_TYPE = f"<{RDF.type}>"
SUBCLASS = f"<{RDFS.subClassOf}>"
EMPTY: dict[str, list[str]] = {}
_ALWAYS_WATCHED = frozenset({RDF_TYPE, SUBCLASS})  # what types and the class closure are read from


def graph_triples(graph: Graph) -> list[Triple]:
    """An rdflib graph as :class:`Data` and :class:`~kg.shacl.engine.ShapesEngine` take it: sorted N-Triples terms."""
    return sorted((str(to_ox(s)), str(to_ox(p)), str(to_ox(o))) for s, p, o in graph)


class Data:
    """One graph indexed by subject: ``out[s][p]`` is the list of objects, ``types[s]`` the node's
    classes (with their superclasses when the graph holds rdfs:subClassOf, as sh:class and
    sh:targetClass read them). For the ``watched`` predicates (targets, SPARQL queries)
    ``by_predicate[p]`` lists (subject, objects)."""

    __slots__ = ("_focus", "_instances", "by_predicate", "out", "types")

    def __init__(self, triples: Iterable[Triple], watched: frozenset[str] = frozenset()) -> None:
        """``triples`` sorted, as :class:`ArticleGraph` holds them: a subject's triples, and its values
        on one predicate, come together, so each starts a dict or list once; a triple a file repeats
        comes next to its twin, and is dropped."""
        watched = watched | _ALWAYS_WATCHED
        out: dict[str, dict[str, list[str]]] = {}
        by_predicate: dict[str, list[tuple[str, list[str]]]] = {p: [] for p in watched}
        last_s = last_p = None
        for s, p, o in triples:
            if s != last_s:
                objects_of = out[s] = {}
                last_s, last_p = s, None
            if p != last_p:
                values = objects_of[p] = [o]
                last_p = p
                if p in watched:
                    by_predicate[p].append((s, values))
            elif o != values[-1]:
                values.append(o)
        self.out = out
        self.by_predicate = by_predicate
        self.types = dict(by_predicate[RDF_TYPE])
        if by_predicate[SUBCLASS]:
            self.types = {s: _with_superclasses(out, classes) for s, classes in self.types.items()}
        self._focus: dict[Targets, list[str]] = {}
        self._instances: dict[str, list[str]] | None = None

    def focus(self, targets: Targets) -> list[str]:
        """The focus nodes of a shape's targets, each once, found once per graph for equal targets."""
        found = self._focus.get(targets)
        if found is None:
            found = self._focus[targets] = list(
                dict.fromkeys(chain.from_iterable(self._target(kind, term) for kind, term in targets))
            )
        return found

    def _target(self, kind: str, term: str) -> Iterable[str]:
        if kind == "class":
            if self._instances is None:
                self._instances = {}
                for s, classes in self.types.items():
                    for cls in classes:
                        self._instances.setdefault(cls, []).append(s)
            return self._instances.get(term, ())
        if kind == "node":
            return (term,)
        return [o for _, objects in self.by_predicate[term] for o in objects]  # objectsOf: a watched predicate


def _with_superclasses(out: dict[str, dict[str, list[str]]], classes: list[str]) -> list[str]:
    found = list(classes)
    for cls in found:  # grows while it is walked: a breadth-first closure
        found += [c for c in out.get(cls, EMPTY).get(SUBCLASS, ()) if c not in found]
    return found
