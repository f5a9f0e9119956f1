"""``kg_roles``: the titles an article gives people, and the office each names.

``Sekjen NATO Jens Stoltenberg``, ``Sekretaris Jenderal (Sekjen) NATO, Jens Stoltenberg``,
``Juru Bicara Rusia, Dmitry Peskov``, ``(Presiden Rusia) Vladimir Putin``, ``Menlu RI Sugiono``,
``NATO Secretary General Mark Rutte``: a title, an organization or country around it, then the
person. The office is linked to its Wikidata position item when the KB has one by the name
"<office> of <organization>" ("Secretary General of NATO", "President of Russia"); with no
organization in the text (``Presiden Prabowo``), by the office of that name the KB records the
linked holder in ("President of Indonesia (2024-10-20 – …)").

Results: ``doc._.kg_roles``, a list of :class:`kg.records.Role`, one per person, title and organization.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.kb import Candidate, open_kb
from kg.kb.store import KnowledgeBase
from kg.normalize import fold
from kg.pipeline.doc import ents_of, mention_key, text_of, tokens_of
from kg.records import EntityType, Role

PER = EntityType.PER.value
MAX_GAP = 8  # tokens between a title and its person: portfolio, organization, brackets, commas


@Language.factory(
    "kg_roles",
    requires=["doc.ents"],
    assigns=["doc._.kg_roles"],
    default_config={"kb_path": None, "titles": [], "title_words": [], "position_names": {}},
)
def make_roles(
    nlp: Language,
    name: str,
    kb_path: str | None,
    titles: list[str],
    title_words: list[str],
    position_names: dict[str, list[str]],
) -> Roles:
    return Roles(nlp, open_kb(Path(kb_path) if kb_path else None), titles, title_words, position_names)


class Roles:
    def __init__(
        self,
        nlp: Language,
        kb: KnowledgeBase,
        titles: list[str],
        title_words: list[str],
        position_names: dict[str, list[str]],
    ) -> None:
        self.kb = kb
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher.add("TITLE", [nlp.make_doc(t) for t in titles])
        self.title_words = frozenset(title_words) | {w for t in titles for w in t.split()}
        self.position_names = position_names

    def __call__(self, doc: Doc) -> Doc:
        ents = {i: ent for ent in ents_of(doc) for i in range(ent.start, ent.end)}
        found: dict[tuple[str, str, str | None], Role] = {}
        covered: set[int] = set()  # the characters of the roles found (a title inside one starts none)
        offsets = tokens_of(doc).idx
        for _, start, end in sorted(self.matcher(doc), key=lambda m: (m[1], -m[2])):
            if start in ents or offsets[start] in covered:
                continue
            role = self._role(doc, start, end, ents)
            if role is not None:
                key = (role.holder_key, role.position_qid or fold(role.title), role.of_key)
                if key not in found:
                    found[key] = role
                    covered.update(range(role.start, role.end))
        doc._.kg_roles = sorted(found.values(), key=lambda role: role.start)
        return doc

    def _role(self, doc: Doc, start: int, end: int, ents: dict[int, Span]) -> Role | None:
        tokens = tokens_of(doc)  # doc[i] makes a Token on every access
        words, lowers = tokens.text, tokens.lower
        # the title runs on over portfolio words: "Menteri Luar Negeri", "Defense Secretary"
        while start > 0 and lowers[start - 1] in self.title_words and start - 1 not in ents:
            start -= 1
        while end < len(doc) and lowers[end] in self.title_words and end not in ents:
            end += 1
        of: Span | None = (
            ents.get(start - 1)
            if start > 0 and ents.get(start - 1, None) is not None and ents[start - 1].label_ != PER
            else None
        )
        i = end
        while i < len(doc) and i - end <= MAX_GAP:
            ent = ents.get(i)
            if ent is not None and ent.label_ == PER:
                title = text_of(doc)[tokens.idx[start] : tokens.end_char(end)]
                of_key = mention_key(of) if of is not None else None
                position = self._position(title, of) if of is not None else self._held_position(title, ent)
                return Role(
                    holder_key=mention_key(ent),
                    title=title,
                    start=tokens.idx[start],
                    end=ent.end_char,
                    of_key=of_key,
                    position_qid=position.qid if position else None,
                    position_label=position.label if position else None,
                )
            if ent is not None:
                of = of or ent
                i = ent.end
            elif words[i] == "(":  # "(Sekjen)"
                close = next((j for j in range(i + 1, min(i + 5, len(doc))) if words[j] == ")"), None)
                if close is None:
                    return None
                i = close + 1
            elif words[i] in {",", ")"} or lowers[i] in self.title_words:
                i += 1
            else:
                return None
        return None

    def _held_position(self, title: str, holder: Span) -> Candidate | None:
        """The office named by ``title`` that the KB's record of the holder says they held."""
        person = self.kb.get(holder.kb_id_) if holder.kb_id_ else None
        if person is None or not person.description:
            return None
        found: set[str] = set()
        for office in self.position_names.get(fold(title), []):
            for match in _office_of(office).finditer(person.description):
                found.update(self.kb.positions(f"{office} of {match[1]}"))
        return self.kb.get(found.pop()) if len(found) == 1 else None

    def _position(self, title: str, of: Span | None) -> Candidate | None:
        if of is None or not of.kb_id_:
            return None
        holder = self.kb.get(of.kb_id_)
        names = [holder.label] if holder else []
        for office in self.position_names.get(fold(title), []):
            for name in names:
                for phrase in (f"{office} of {name}", f"{office} of the {name}"):
                    qids = self.kb.positions(phrase)
                    if len(qids) == 1:
                        return self.kb.get(qids[0])
        return None


@lru_cache(maxsize=64)
def _office_of(office: str) -> re.Pattern[str]:
    """``President of Indonesia (2024-…)``, ``Minister of Defence (Japan) (2014-2016)``: the office's country."""
    return re.compile(re.escape(office) + r"(?: of (?:the )?| \()([A-Z][\w.'’ -]*?)\s*(?=[(),;]|$)")
