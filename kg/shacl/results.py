"""A validation result of the compiled engine."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib.term import Node


@dataclass(slots=True, frozen=True)
class ValidationResult:
    """One validation result, with terms as rdflib nodes."""

    graph: str  # the name the graph was given to :meth:`ShapesEngine.validate`
    severity: Node  # as the shapes give it: sh:Violation, sh:Warning, sh:Info (an IRI in valid shapes)
    shape: Node
    component: Node  # sh:sourceConstraintComponent: sh:MinCountConstraintComponent, sh:SPARQLConstraintComponent, …
    constraint: Node | None  # sh:sourceConstraint: the SPARQL constraint; None for SHACL Core
    focus: Node
    path: Node | None
    value: Node | None
    message: str

    def order(self) -> tuple[str, ...]:
        """A total order over results: the same every run."""
        return (
            self.graph,
            str(self.shape),
            str(self.focus),
            str(self.value),
            self.message,
            str(self.component),
            str(self.constraint),
            str(self.path),
        )
