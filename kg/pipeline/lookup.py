"""``kg_wikidata_lookup``: names the KB lacks, looked up in Wikidata before they are linked.

Only in online mode (``kg extract --online``). A stage of its own, so that ``kg_linker`` decides
from the KB alone and this is the one component that talks to the network. What Wikidata finds is
kept in the KB, so the next run links the same names offline; once Wikidata is unreachable the run
goes on offline (:class:`kg.wikidata.OnlineLookup`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from kg.kb import KnowledgeBase, open_kb
from kg.pipeline.linker import name_clusters, names_to_look_up

if TYPE_CHECKING:
    from kg.wikidata import OnlineLookup


@Language.factory("kg_wikidata_lookup", requires=["doc.ents", "span._.kg_also_named"], default_config={"kb_path": None})
def make_lookup(nlp: Language, name: str, kb_path: str | None) -> WikidataLookup:
    from kg.wikidata import OnlineLookup, WikidataClient  # requests and the client only when online

    return WikidataLookup(open_kb(Path(kb_path) if kb_path else None), OnlineLookup(WikidataClient()), nlp.lang or "en")


class WikidataLookup:
    def __init__(self, kb: KnowledgeBase, online: OnlineLookup, lang: str) -> None:
        self.kb = kb  # the linker's own (open_kb keeps one per path), so it sees what is added
        self.online = online
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        for (_label, key), surfaces in name_clusters(doc)[1].items():
            names = names_to_look_up(key, surfaces)
            if names and not any(self.kb.candidates(name) for name in names):
                self.kb.upsert(self.online.candidates(sorted(names), self.lang))
        return doc
