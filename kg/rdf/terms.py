"""RDF terms written straight as N-Triples, the form the mapping emits.

Building an article's triples as rdflib (or even pyoxigraph) objects costs more than writing them
as sorted N-Triples lines, which Oxigraph parses in Rust (the figures are in ``bench/``). Every IRI
written here is minted by :mod:`kg.rdf.iris` or checked when the article is read (``url``), so only
literals need escaping.
"""

from __future__ import annotations

from datetime import date

from rdflib import Namespace
from rdflib.namespace import XSD, DefinedNamespace


class Vocabulary:
    """A namespace whose attributes are N-Triples IRIs: ``Vocabulary(SCHEMA).Person`` is
    ``"<https://schema.org/Person>"``."""

    def __init__(self, namespace: Namespace | type[DefinedNamespace] | str) -> None:
        self._base = str(namespace)

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        term = self[name]
        setattr(self, name, term)  # later look-ups are plain attribute reads
        return term

    def __getitem__(self, name: str) -> str:
        return f"<{self._base}{name}>"


def iri(value: str) -> str:
    return f"<{value}>"


def literal(text: str, *, lang: str | None = None) -> str:
    """A string, language-tagged when ``lang`` is given (typed values have their own writers below)."""
    # N-Triples string escapes: a quote, a backslash and the two line breaks; anything else may stand as is
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:  # four scans in C: most text has none
        # the backslash first, so that the others' are not doubled; str.translate, looking each character
        # up in a dict, took ~30 times as long on an article's text
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    quoted = f'"{text}"'
    return f"{quoted}@{lang}" if lang else quoted


XSD_NT = Vocabulary(XSD)


def non_negative(value: int) -> str:
    return f'"{value}"^^{XSD_NT.nonNegativeInteger}'


def double(value: float) -> str:
    return f'"{value!r}"^^{XSD_NT.double}'


def day(value: date) -> str:
    return f'"{value.isoformat()}"^^{XSD_NT.date}'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^{XSD_NT.boolean}'
