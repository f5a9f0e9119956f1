"""The compiled engine: shapes read once into Python functions, then any number of graphs checked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rdflib import Graph

from kg.shacl import terms
from kg.shacl.compiler import Compiler, implicit_targets
from kg.shacl.data import EMPTY, Data, Triple
from kg.shacl.results import ValidationResult
from kg.shacl.sparql import run_in_oxigraph, watched
from kg.shacl.vocabulary import SH

Check = Callable[[Data, Callable[[tuple[int, str, str | None]], None]], None]


class ShapesEngine:
    """Compiled shapes: :meth:`validate` checks any number of graphs, each on its own.
    ``ShapesEngine(shapes).source`` is the generated code, for anyone debugging a shape."""

    def __init__(self, shapes: Graph, sparql_in_python: bool = True) -> None:
        """``sparql_in_python=False`` runs every SPARQL constraint in Oxigraph (the tests compare both);
        :class:`~kg.shacl.vocabulary.Unsupported` when the shapes use SHACL beyond :mod:`kg.shacl.vocabulary`."""
        compiler = Compiler(
            shapes,
            names={"EMPTY": EMPTY, "_text": terms.text, "_key": terms.key, "_compare": terms.compare},
        )
        # Every shape with a target, those of kinds not compiled too (check_supported names them), and
        # every shape that is a class too (its instances are its focus nodes).
        roots = sorted(
            {s for s, p, _ in shapes if str(p).startswith(str(SH.target))} | implicit_targets(shapes), key=str
        )
        checks = [name for name in map(compiler.root, roots) if name is not None]
        core = "\n\n".join(compiler.functions)
        namespace = dict(compiler.names)
        exec(compile(core, "<kg shapes>", "exec"), namespace)
        self.checks: list[Check] = [_generated(namespace, name) for name in checks]
        self.sites = compiler.sites
        compiled = [check for check in compiler.sparql if sparql_in_python and check.compile()]
        self.sparql_python = compiled
        self.sparql = [check for check in compiler.sparql if check.compiled is None]  # for Oxigraph
        self.source = "\n\n".join(
            [core, *(f"# {check.constraint.n3()}\n{check.compiled.source}" for check in compiled if check.compiled)]
        )
        self.watched = (
            (watched(self.sparql) or frozenset())
            | compiler.target_predicates
            | frozenset[str]().union(*(check.compiled.scanned for check in compiled if check.compiled))
        )

    def validate(self, graphs: Sequence[tuple[str, Sequence[Triple]]]) -> list[ValidationResult]:
        """Results for every (name, triples) graph, sorted; graphs never see each other's triples. Every
        result is kept, two equal ones too (two sh:class constraints a node breaks alike, say)."""
        results: list[ValidationResult] = []
        indexed = [(name, triples, Data(triples, self.watched)) for name, triples in graphs]
        for name, _, data in indexed:
            found: list[tuple[int, str, str | None]] = []
            for check in self.checks:
                check(data, found.append)
            for site_index, focus, value in found:
                site = self.sites[site_index]
                results.append(
                    ValidationResult(
                        name,
                        site.severity,
                        site.shape,
                        site.component,
                        None,
                        terms.to_rdflib(focus),
                        site.path,
                        None if value is None else terms.to_rdflib(value),
                        site.message,
                    )
                )
            for sparql_check in self.sparql_python:
                results += sparql_check.results(name, data)
        if self.sparql:
            results += run_in_oxigraph(self.sparql, indexed)
        return sorted(results, key=ValidationResult.order)


def _generated(namespace: dict[str, object], name: str) -> Any:
    """A function the generated code defined."""
    function = namespace[name]
    if not callable(function):
        raise AssertionError(f"the generated code's {name} is not a function")
    return function
