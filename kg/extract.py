"""The whole flow for one article:

    Article -> spaCy Doc -> records -> ArticleGraph -> SHACL report -> Turtle (atomic)

Batches of articles, in parallel and with their failures reported, are :mod:`kg.batch`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.article import Article
from kg.errors import InputTooLarge
from kg.files import write_atomically
from kg.pipeline import get_pipeline
from kg.pipeline.tokenize import make_doc
from kg.rdf.graph import ArticleGraph
from kg.rdf.mapping import to_article_graph
from kg.readout import read_doc
from kg.records import Extraction
from kg.validate import Report, Validator, default_validator


@dataclass(slots=True, frozen=True)
class ArticleResult:
    """One article's records, its graph and the graph's SHACL report."""

    extraction: Extraction
    graph: ArticleGraph  # .to_rdflib() for an rdflib Graph
    report: Report

    def summary(self) -> str:
        e = self.extraction
        verdict = "conforms" if self.report.conforms else f"{len(self.report.findings)} SHACL violations"
        return (
            f"{len(e.mentions)} mentions, {len(e.entities)} entities ({e.linked} linked), "
            f"{len(e.statements)} statements, {len(e.events)} events, {len(e.roles)} roles, "
            f"{len(self.graph)} triples, {verdict}"
        )


def extract_records(
    article: Article,
    kb_path: Path | None = None,
    online: bool = False,
    ner: str | None = None,
    ner_model: str | None = None,
) -> Extraction:
    """``ner``: "learned" or "rules" (:func:`kg.pipeline.ner_for`; None is the default); ``ner_model``: a
    spaCy pipeline (installed package or directory) whose entities the learned name finder proposes for
    articles in its language."""
    nlp = get_pipeline(article.lang, kb_path, online, ner, ner_model)
    if len(article.text) > nlp.max_length:  # the pipeline's bound: only a --max-bytes above the default passes it
        raise InputTooLarge(
            f"{article.source or 'the article'}: {len(article.text):,} characters is over the "
            f"{nlp.max_length:,} one article may have; split it into parts"
        )
    doc = make_doc(nlp, article.text)
    doc._.kg_published = article.published  # the day relative dates ("kemarin") count from
    extraction = read_doc(nlp(doc), article)
    # The components' cached spans (kg_ents, kg_sentences, the span groups) point back at the Doc: a reference cycle
    # only the garbage collector would free. The records are read, so the Doc goes now.
    doc.user_data.clear()
    return extraction


def extract(
    article: Article,
    kb_path: Path | None = None,
    validator: Validator | None = None,
    online: bool = False,
    ner: str | None = None,
    ner_model: str | None = None,
) -> ArticleResult:
    """Extract, map and validate one article (nothing is written)."""
    extraction = extract_records(article, kb_path, online, ner, ner_model)
    graph = to_article_graph(extraction)
    return ArticleResult(extraction, graph, (validator or default_validator()).check_graph(graph))


def write_graph(graph: ArticleGraph, path: Path) -> None:
    """Turtle, replacing ``path`` whole or not at all."""
    write_atomically(path, graph.turtle())
