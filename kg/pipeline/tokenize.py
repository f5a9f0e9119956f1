"""An article's tokens in time linear in its length, whatever it holds.

spaCy strips a token's prefixes and suffixes one at a time, copying the rest of the token each
time: a run of 100,000 characters without a space (quote marks, a pasted blob) took minutes. Such
runs are cut into pieces of ``LONGEST_RUN`` characters and each piece is tokenized alone; text
without such runs (every real article) is tokenized in one call, as before.
"""

from __future__ import annotations

import re
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc

from kg.pipeline.doc import keep_text

LONGEST_RUN = 1000  # characters without a space: longer than any word or URL of real news
_LONG_RUN = re.compile(rf"\S{{{LONGEST_RUN + 1},}}")


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``, with runs longer than ``LONGEST_RUN`` characters cut into pieces first."""
    cuts = [at for run in _LONG_RUN.finditer(text) for at in range(run.start() + LONGEST_RUN, run.end(), LONGEST_RUN)]
    if not cuts:
        return keep_text(nlp.make_doc(text), text)
    bounds = [0, *cuts, len(text)]
    pieces = [nlp.make_doc(text[start:end]) for start, end in pairwise(bounds)]
    return keep_text(Doc.from_docs(pieces, ensure_whitespace=False), text)  # nothing added between pieces
