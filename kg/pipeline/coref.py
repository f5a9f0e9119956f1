"""``kg_coref``: within one article, a later "Stoltenberg" is the "Jens Stoltenberg" named before.

Each person mention gets its full name as ``span.id_`` (the cluster key the linker and the
RDF layer use), and capitalized tokens that repeat part of exactly one full name become
mentions too. A token shared by two full names in the article stays ambiguous and is left alone.
Likewise an acronym the article introduced in brackets ("… Daerah (BPBD)") names that
organization wherever it appears again.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.normalize import fold
from kg.pipeline.doc import EXCLUDED, ents_of, set_ents, span_text, spans_of, tokens_of
from kg.records import EntityType

PER = EntityType.PER.value
ORG = EntityType.ORG.value
LOC = EntityType.LOC.value
MIN_PART_LENGTH = 3
MIN_MONONYM_LENGTH = 5


@Language.factory(
    "kg_coref",
    requires=["doc.ents", "doc.spans"],
    assigns=["doc.ents"],
    default_config={"name_particles": [], "honorifics": []},
)
def make_coref(nlp: Language, name: str, name_particles: list[str], honorifics: list[str]) -> NameCoref:
    honorific_words = frozenset(word for honorific in honorifics for word in honorific.split())
    return NameCoref(frozenset(name_particles), frozenset(nlp.Defaults.stop_words) | honorific_words)


class NameCoref:
    def __init__(self, particles: frozenset[str], stop_words: frozenset[str]) -> None:
        self.particles = particles
        self.stop_words = stop_words  # and honorifics: "Sheikh" before a name is not a part of it

    def __call__(self, doc: Doc) -> Doc:
        full_names: dict[str, str] = {}  # folded full name -> first spelling seen
        for ent in ents_of(doc):
            name = ent.id_ or span_text(ent)  # kg_mentions names 'Rano "Doel" Karno' by "Rano Karno"
            if ent.label_ == PER and len(name.split()) >= 2:
                full_names.setdefault(fold(name), name)
        # "Pramono Anung" and "Pramono Anung Wibowo" are one person: a name whose words all appear in a longer
        # name the article uses is that name
        longest: list[tuple[set[str], str]] = []
        for norm in sorted(full_names, key=lambda n: (-len(n.split()), n)):
            parts = set(norm.split())
            owner = next((name for held, name in longest if parts <= held), None)
            if owner is None:
                longest.append((parts, full_names[norm]))
            else:
                full_names[norm] = owner
        owners: dict[str, set[str]] = {}  # folded name part -> full names containing it
        for norm, name in full_names.items():
            for part in norm.split():
                if len(part) >= MIN_PART_LENGTH and part not in self.particles:
                    owners.setdefault(part, set()).add(name)

        # a one-word name the cues found ("Kepala BNPB Suharyanto") is that person again later
        for ent in ents_of(doc):
            name = ent.id_ or span_text(ent)
            if ent.label_ == PER and len(ent) == 1 and len(name) >= MIN_MONONYM_LENGTH and not ent.kb_id_:
                norm = fold(name)
                if norm not in owners and norm not in self.stop_words:
                    owners[norm] = {name}

        def canonical(text: str) -> str | None:
            names = owners.get(fold(text), set())
            return next(iter(names)) if len(names) == 1 else None

        ents: list[Span] = []
        for ent in ents_of(doc):
            if ent.label_ == PER:
                # kg_mentions names some forms by the name inside them ("Marcos Jr" by "Marcos")
                name = ent.id_ or span_text(ent)
                name_id = full_names.get(fold(name)) or canonical(name) or name
                ent = Span(doc, ent.start, ent.end, label=ent.label_, span_id=name_id)
            ents.append(ent)
        # an acronym introduced in brackets, or an organization the article named ("Ketua Umum Golkar Budi …",
        # "Ketua Umum Partai Maju Budi …"), names it again later: first token -> (its tokens, the mention)
        # a short form the article introduced ("(Sumut)") names that entity wherever another cue read it too
        short_forms = {
            span_text(ent): ent
            for ent in ents
            if ent.label_ in {ORG, LOC} and len(ent) == 1 and ent.id_ and ent.id_ != span_text(ent)
        }
        if short_forms:
            ents = [self._short_form(ent, short_forms) for ent in ents]
        repeats: dict[str, list[tuple[tuple[str, ...], Span]]] = {}
        words = tokens_of(doc).text
        for ent in ents:
            ent_text = span_text(ent)
            if ent.label_ not in {ORG, LOC} or not ent_text[:1].isupper():
                continue
            if ent.id_ and ent.id_ != ent_text:  # "(BPBD)", "(Sumut)": the short form of the name before it
                repeats.setdefault(words[ent.start], []).append((tuple(words[ent.start : ent.end]), ent))
            elif ent.label_ == ORG and len(ent) <= 3 and (len(ent_text) >= 3 or ent_text.isupper()):
                repeats.setdefault(words[ent.start], []).append((tuple(words[ent.start : ent.end]), ent))
                for k in range(ent.start + 1, ent.end):  # "PT PLN": PLN alone names it too
                    word = words[k]
                    if word.isupper() and word.isalpha() and len(word) >= 3:
                        alias = Span(doc, k, k + 1, label=ORG, span_id=ent.id_ or ent_text)
                        repeats.setdefault(word, []).append(((word,), alias))
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        taken |= {i for span in spans_of(doc, EXCLUDED) for i in range(span.start, span.end)}
        tokens = tokens_of(doc)
        words, lowers = tokens.text, tokens.lower
        i = 0
        n_tokens = len(doc)
        while i < n_tokens:  # "Ridwan Kamil" again is one mention, not "Ridwan" and "Kamil"
            word = words[i]
            names = repeats.get(word) if i not in taken else None
            repeated = self._repeat(doc, i, names, taken) if names else None
            if repeated is not None:
                ents.append(repeated)
                i = repeated.end
                continue
            key = None if i in taken or not word[:1].isupper() or lowers[i] in self.stop_words else canonical(word)
            if key is None:
                i += 1
                continue
            end = i + 1
            while end < n_tokens and end not in taken and words[end][:1].isupper() and canonical(words[end]) == key:
                end += 1
            ents.append(Span(doc, i, end, label=PER, span_id=key))
            i = end
        set_ents(doc, sorted(ents, key=lambda span: span.start))
        return doc

    @staticmethod
    def _short_form(ent: Span, short_forms: dict[str, Span]) -> Span:
        """``ent`` named by the short form the article introduced, if it is that form and unnamed."""
        short = short_forms.get(span_text(ent))
        if short is None or ent.id_ or ent.kb_id_:
            return ent
        return Span(ent.doc, ent.start, ent.end, label=short.label_, span_id=short.id_)

    @staticmethod
    def _repeat(doc: Doc, i: int, names: Iterable[tuple[tuple[str, ...], Span]], taken: set[int]) -> Span | None:
        """The longest organization or acronym named before that the tokens at ``i`` repeat."""
        best: tuple[tuple[str, ...], Span] | None = None
        text = tokens_of(doc).text
        for words, ent in names:
            end = i + len(words)
            if (
                end <= len(doc)
                and (best is None or len(words) > len(best[0]))
                and all(text[j] == word and j not in taken for j, word in zip(range(i, end), words, strict=True))
            ):
                best = (words, ent)
        if best is None:
            return None
        words, ent = best
        return Span(doc, i, i + len(words), label=ent.label_, span_id=ent.id_ or span_text(ent))
