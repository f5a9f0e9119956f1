"""The whole flow for one article, and for a batch of files:

    Article -> spaCy Doc -> records -> RDF graph -> SHACL report -> Turtle file (atomic)

A batch never stops at a bad article: each file yields an :class:`Outcome` that carries either
a result or the error that explains why nothing was written for it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Graph

from kg.article import MAX_BYTES, Article, read_article
from kg.errors import GraphInvalid, KgError, OutputError
from kg.pipeline import get_pipeline
from kg.rdf.mapping import to_graph
from kg.rdf.oxigraph import serialize
from kg.readout import read_doc
from kg.records import Extraction
from kg.validate import Report, Validator, default_validator


@dataclass(slots=True, frozen=True)
class Result:
    extraction: Extraction
    graph: Graph
    report: Report

    def summary(self) -> str:
        e = self.extraction
        verdict = "conforms" if self.report.conforms else f"{len(self.report.findings)} SHACL violations"
        return (f"{len(e.mentions)} mentions, {len(e.entities)} entities ({e.linked} linked), "
                f"{len(e.statements)} statements, {len(e.events)} events, {len(e.roles)} roles, "
                f"{len(self.graph)} triples, {verdict}")


@dataclass(slots=True, frozen=True)
class Outcome:
    """What happened to one input: ``output`` written, or ``error`` saying why not."""

    source: Path
    output: Path | None = None
    result: Result | None = None
    error: KgError | None = None


def extract_records(article: Article, kb_path: Path | None = None, online: bool = False) -> Extraction:
    nlp = get_pipeline(article.lang, kb_path, online)
    doc = nlp.make_doc(article.text)
    doc._.kg_published = article.published  # the day relative dates ("kemarin") count from
    return read_doc(nlp(doc), article)


def extract(
    article: Article, kb_path: Path | None = None, validator: Validator | None = None, online: bool = False
) -> Result:
    """Extract, map and validate one article (nothing is written)."""
    extraction = extract_records(article, kb_path, online)
    graph = to_graph(extraction)
    return Result(extraction, graph, (validator or default_validator()).check_graph(graph))


def write_graph(graph: Graph, path: Path) -> None:
    """Turtle, replacing ``path`` whole or not at all: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(serialize(graph))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    finally:
        Path(tmp_name).unlink(missing_ok=True)


def extract_files(
    paths: Iterable[Path],
    out_dir: Path,
    *,
    lang: str = "auto",
    kb_path: Path | None = None,
    published: date | None = None,
    max_bytes: int = MAX_BYTES,
    validator: Validator | None = None,
    online: bool = False,
) -> Iterator[Outcome]:
    """Extract every file to ``out_dir/<stem>.ttl``; invalid graphs and bad inputs are not written."""
    written: dict[Path, Path] = {}  # output -> the input it came from, in this run
    for path in paths:
        try:
            output = out_dir / f"{path.stem}.ttl"
            if output in written:
                raise OutputError(f"{path}: its graph would overwrite {output}, written from {written[output]} "
                                  "in this run; rename one of the inputs")
            article = read_article(path, lang, published=published, max_bytes=max_bytes)
            result = extract(article, kb_path, validator, online)
            if not result.report.conforms:
                raise GraphInvalid(f"{path}: the graph breaks the shapes and was not written:\n"
                                   f"{result.report.describe()}")
            try:
                write_graph(result.graph, output)
            except OSError as exc:
                raise OutputError(f"{path}: cannot write {output} ({exc.strerror or exc}); "
                                  "choose a writable directory with -o") from exc
            written[output] = path
            yield Outcome(path, output=output, result=result)
        except KgError as error:
            yield Outcome(path, error=error)
        except Exception as error:  # an extraction bug must not cost the rest of the batch
            yield Outcome(path, error=KgError(f"{path}: internal error ({type(error).__name__}: {error}); "
                                              "please report it with this file"))
