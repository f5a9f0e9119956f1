"""``kg_cues``: names the knowledge base does not know, found and typed by the words around them.

- a title before a name makes a person: ``Juru Bicara Rusia, Dmitry Peskov``,
  ``Sekretaris Jenderal (Sekjen) NATO, Jens Stoltenberg``, ``(Presiden Rusia) Vladimir Putin``;
- a head word starts an organization or place (``Kementerian Luar Negeri``, ``Kabupaten Bandung``,
  ``Ministry of Defence``), a tail word ends one (``Foreign Ministry``, ``Dnipro River``);
- an acronym in brackets after an organization is that organization: ``Badan … Daerah (BPBD)``;
- a speech verb next to a name makes a person: ``kata Federer``, ``Lavrov mengatakan``,
  ``"…," said Blinken``;
- a place preposition before a capitalized word suggests a place: ``di Bandung``, ``in Kherson``
  (weak: the gazetteer's type wins over it).

Title-case lines (headlines) capitalize every word, so no capitalized run is trusted there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from kg.pipeline.doc import GAZETTEER, STRONG, TITLE_CASE, WEAK, Tokens, set_spans, spans_of, text_of, tokens_of
from kg.records import EntityType

MAX_NAME_TOKENS = 4
MAX_HEADED_TOKENS = 10
PER, ORG, LOC = EntityType.PER.value, EntityType.ORG.value, EntityType.LOC.value


_ROMAN = re.compile(r"^(?=[IVXLC]{2,}$)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")


def _is_acronym(text: str) -> bool:
    """``BMKG``, ``PDIP``: two to six capitals, not a roman numeral."""
    return text.isalpha() and text.isupper() and 2 <= len(text) <= 6 and not _ROMAN.match(text)


def _paren_offsets(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of every "(" in the text, to find the tokens that open a bracket."""
    starts = [m.start() for m in re.finditer(r"\(", text)]
    return starts, [start + 1 for start in starts]


def _abbreviates(short: str, name: str) -> bool:
    """``Kemendagri`` for ``Kementerian Dalam Negeri``, ``Sumut`` for ``Sumatera Utara``: a capitalized word
    shorter than the name, starting with its first letter, whose letters all come from it in order, from at
    least two of its words."""
    letters = [ch for ch in short.lower() if ch.isalpha()]
    words = [w.lower() for w in name.split()]
    if not (short[:1].isupper() and len(words) >= 2 and 2 <= len(letters) < len("".join(words))):
        return False
    if letters[0] != words[0][:1]:
        return False
    used, w, c = set(), 0, 0
    for ch in letters:
        while w < len(words) and (c >= len(words[w]) or words[w][c] != ch):
            c += 1
            if c >= len(words[w]):
                w, c = w + 1, 0
        if w >= len(words):
            return False
        used.add(w)
        c += 1
    return len(used) >= 2


@dataclass(slots=True, frozen=True)
class _Context:
    """Token positions the head-word cue reads names against."""

    heads: set[int]  # where a head word starts ("Partai", "Kementerian")
    title_ends: set[int]  # just after a title ("Ketua Umum", "Juru Bicara")
    person_starts: set[int]  # where a full name (two words or more) the KB knows as a person starts
    place_ends: set[int]  # just after a place or organization the KB knows


@Language.factory(
    "kg_cues",
    requires=["doc.spans", "token.is_sent_start"],
    assigns=["doc.spans"],
    default_config={
        "titles": [],
        "title_words": [],
        "org_heads": [],
        "org_tails": [],
        "place_heads": [],
        "place_tails": [],
        "org_connectors": [],
        "speech_before": [],
        "speech_after": [],
        "place_preps": [],
        "name_particles": [],
        "weekdays": [],
        "months": [],
        "honorifics": [],
    },
)
def make_cues(
    nlp: Language,
    name: str,
    titles: list[str],
    title_words: list[str],
    org_heads: list[str],
    org_tails: list[str],
    place_heads: list[str],
    place_tails: list[str],
    org_connectors: list[str],
    speech_before: list[str],
    speech_after: list[str],
    place_preps: list[str],
    name_particles: list[str],
    weekdays: list[str],
    months: list[str],
    honorifics: list[str],
) -> Cues:
    cues = Cues(nlp, title_words, org_connectors, place_preps, name_particles, weekdays + months, honorifics)
    cues.add_phrases(nlp, "TITLE", titles)
    cues.add_phrases(nlp, "SPEECH_BEFORE", speech_before)
    cues.add_phrases(nlp, "SPEECH_AFTER", speech_after)
    for label, heads, tails in ((ORG, org_heads, org_tails), (LOC, place_heads, place_tails)):
        cues.add_phrases(nlp, f"{label}_HEAD", heads)
        cues.add_phrases(nlp, f"{label}_TAIL", tails)
    return cues


class Cues:
    def __init__(
        self,
        nlp: Language,
        title_words: list[str],
        org_connectors: list[str],
        place_preps: list[str],
        name_particles: list[str],
        calendar_words: list[str],
        honorifics: list[str],
    ) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.title_words = set(title_words)
        self.connectors = frozenset(org_connectors)
        self.place_preps = frozenset(place_preps)
        self.particles = frozenset(name_particles)
        self.not_names = frozenset(calendar_words) | frozenset(nlp.Defaults.stop_words)
        self.honorifics = frozenset(honorifics)  # "Datuk Seri" before a name is no organization

    def add_phrases(self, nlp: Language, key: str, phrases: list[str]) -> None:
        if phrases:
            self.matcher.add(key, [nlp.make_doc(p) for p in phrases])
        if key == "TITLE":
            self.title_words.update(word for phrase in phrases for word in phrase.split())

    def __call__(self, doc: Doc) -> Doc:
        untrusted = {i for span in spans_of(doc, TITLE_CASE) for i in range(span.start, span.end)}
        matches = [
            (doc.vocab.strings[key], start, end) for key, start, end in self.matcher(doc) if start not in untrusted
        ]
        strong: list[Span] = []
        gazetteer = spans_of(doc, GAZETTEER)
        context = _Context(
            heads={start for key, start, _ in matches if key.endswith("_HEAD")},
            title_ends={end for key, _, end in matches if key == "TITLE"},
            person_starts={span.start for span in gazetteer if span.label_ == PER and len(span) >= 2},
            place_ends={span.end for span in gazetteer if span.label_ in {LOC, ORG}},
        )
        kb_tokens = {i for span in gazetteer for i in range(span.start, span.end)}
        for key, start, end in matches:
            label, _, kind = key.partition("_")
            if kind == "HEAD" and doc[start].text[:1].isupper():
                strong.extend(self._headed(doc, start, end, label, context))
            elif kind == "TAIL" and doc[start].text[:1].isupper():
                strong.extend(self._tailed(doc, start, end, label, kb_tokens))
        # "kata Gedung Putih", "Istana menyatakan": a building that speaks is the institution in it
        speaks_after = {end for key, _, end in matches if key == "SPEECH_BEFORE"}
        speaks_before = {start for key, start, _ in matches if key == "SPEECH_AFTER"}
        strong = [
            Span(doc, span.start, span.end, label=ORG, span_id=span.id_)
            if span.label_ == LOC and (span.start in speaks_after or span.end in speaks_before)
            else span
            for span in strong
        ]
        opens = {span.start for span in map(doc.char_span, *_paren_offsets(text_of(doc))) if span is not None}
        strong.extend(self._bracketed_acronyms(doc, [span for span in (*strong, *gazetteer) if span.end in opens]))
        known = {i: span.label_ for span in [*gazetteer, *strong] for i in range(span.start, span.end)}
        full_names = context.person_starts
        for key, start, end in matches:
            if key == "TITLE":
                strong.extend(self._name_after_title(doc, end, known, full_names))
            elif key == "SPEECH_BEFORE":
                strong.extend(self._name_at(doc, end, known))
            elif key == "SPEECH_AFTER":
                strong.extend(self._name_before(doc, start, known))
        weak = [
            span
            for i, lower in enumerate(tokens_of(doc).lower)
            if lower in self.place_preps and i + 1 not in untrusted
            for span in self._place_after(doc, i + 1)
        ]
        set_spans(doc, STRONG, strong)
        set_spans(doc, WEAK, weak)
        return doc

    # --- what a name looks like -------------------------------------------------------

    def _is_name_token(self, token: Token) -> bool:
        return self._is_name_at(tokens_of(token.doc), token.i)

    def _is_name_at(self, tokens: Tokens, k: int) -> bool:
        """``_is_name_token`` of token ``k`` from the token lists, without making the Token."""
        text = tokens.text[k]
        return (
            text[:1].isupper()
            and any(ch.islower() for ch in text)  # "NATO" is an acronym, not a personal name
            and tokens.lower[k] not in self.not_names
            and tokens.lower[k] not in self.title_words
        )

    def _name_end(self, doc: Doc, start: int) -> int:
        """End of the name at ``start``: capitalized tokens, inner particles, hyphens ("Jean-Pierre")."""
        end = start
        tokens = tokens_of(doc)
        while end < len(doc) and end - start < MAX_NAME_TOKENS + 2:
            joins = end > start and end + 1 < len(doc) and self._is_name_at(tokens, end + 1)
            if self._is_name_at(tokens, end):
                end += 1
            elif joins and (
                tokens.lower[end] in self.particles or (tokens.text[end] == "-" and not doc[end - 1].whitespace_)
            ):
                end += 1
            else:
                break
        return end

    # --- the cues ---------------------------------------------------------------------

    def _headed(self, doc: Doc, start: int, end: int, label: str, context: _Context) -> list[Span]:
        """``Kementerian Luar Negeri``: the head, then capitalized words and inner connectors. A connector
        before another head joins two names (``Partai Buruh dan Partai Hijau``), and a person the KB knows
        ends the name (``Ketua Umum Partai Maju Budi Santoso``)."""
        i = last = end
        tokens = tokens_of(doc)
        words = tokens.text
        while i < len(doc) and i - start < MAX_HEADED_TOKENS:
            if i in context.person_starts:
                break
            if words[i][:1].isupper() and not tokens.is_punct[i]:
                i = last = i + 1
            elif (
                label == ORG  # "Bendungan X dan Pusat Y" are two places; "Kementerian Energi dan …" one ministry
                and tokens.lower[i] in self.connectors
                and i + 1 < len(doc)
                and words[i + 1][:1].isupper()
                and i + 1 not in context.heads
            ):
                i += 1
            else:
                break
        if last == end:
            return []
        if self._after_title(doc, start, context):
            # "Juru Bicara Kementerian Luar Negeri Jepang Sato Kenji", "Direktur Utama PT PLN Budi Santoso": after a
            # title, a place or acronym inside the name followed by a personal name ends the organization
            for cut in range(end, last - 1):
                tail = range(cut, last)
                if (cut in context.place_ends or words[cut - 1].isupper()) and all(
                    words[j][:1].isupper() and any(ch.islower() for ch in words[j]) for j in tail
                ):
                    if last - cut >= 2:
                        return [Span(doc, start, cut, label=label), Span(doc, cut, last, label=PER)]
                    break
        return [Span(doc, start, last, label=label)]

    def _after_title(self, doc: Doc, start: int, context: _Context) -> bool:
        i = start
        lowers = tokens_of(doc).lower
        while i > 0 and lowers[i - 1] in self.title_words and i not in context.title_ends:
            i -= 1
        return i in context.title_ends

    def _tailed(self, doc: Doc, start: int, end: int, label: str, kb_tokens: set[int]) -> list[Span]:
        """``Foreign Ministry``: capitalized words before the tail word, inner connectors between them
        (``Red and White Cabinet``), and an ``of the …`` after it (``Great Hall of the People``)."""
        first = start
        while first > 0 and start - first < MAX_HEADED_TOKENS:
            token = doc[first - 1]
            if (
                token.lower_ in self.connectors
                and first - 2 >= 0
                and doc[first - 2].text[:1].isupper()
                and not doc[first - 2].is_punct
                and doc[first - 2].lower_ not in self.not_names
                and not token.is_sent_start
            ):
                first -= 1
                continue
            if not token.text[:1].isupper() or token.is_punct or token.lower_ in self.not_names:
                break
            first -= 1
            if token.is_sent_start:
                break
        while first < start and doc[first].lower_ in self.connectors:
            first += 1
        if first == start:
            return []
        last = end
        if end < len(doc) and doc[end].lower_ == "of":  # "Great Hall of the People"
            i = end + 1 + (end + 1 < len(doc) and doc[end + 1].lower_ == "the")
            j = i
            while (
                j < len(doc)
                and j - i < 3
                and doc[j].text[:1].isupper()
                and not doc[j].is_punct
                and j not in kb_tokens  # "East Room of the White House": the KB's name is a name of its own
            ):
                j += 1
            if j > i:
                last = j
        return [Span(doc, first, last, label=label)]

    @staticmethod
    def _bracketed_acronyms(doc: Doc, spans: list[Span]) -> list[Span]:
        """``Badan Penanggulangan Bencana Daerah (BPBD)``: the acronym names the same organization; so does a
        short form whose letters come from the name in order (``Kementerian Dalam Negeri (Kemendagri)``), and
        a place's (``Sumatera Utara (Sumut)``)."""
        found = []
        for span in spans:
            i = span.end
            if not (span.label_ in {ORG, LOC} and i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")"):
                continue
            short = doc[i + 1].text
            if (span.label_ == ORG and short.isupper() and len(short) >= 2 and short.isalpha()) or _abbreviates(
                short, span.text
            ):
                found.append(Span(doc, i + 1, i + 2, label=span.label_, span_id=span.text))
        return found

    def _name_after_title(self, doc: Doc, i: int, known: dict[int, str], full_names: set[int]) -> list[Span]:
        """Skip what qualifies a title (portfolio, country, org, a bracketed abbreviation), then read a name.
        An acronym the KB does not know qualifying a title is an organization (``Kepala BMKG``)."""
        orgs: list[Span] = []
        while i < len(doc):
            token = doc[i]
            if known.get(i) == PER:
                return orgs  # "Menlu Retno …": the name is known already, and what follows is not one
            if token.lower_ in self.title_words or i in known:
                i += 1
            elif token.text == "(":
                close = next((j for j in range(i + 1, min(i + 6, len(doc))) if doc[j].text == ")"), None)
                if close is None:
                    return orgs
                i = close + 1
            elif token.text in {")", ","} or (token.text.isupper() and len(token.text) <= 5):
                if _is_acronym(token.text):
                    named = self._acronym_name(doc, i)
                    orgs.append(Span(doc, i, named, label=ORG))
                    if named > i + 1:  # "PDI Perjuangan (PDIP)": the bracketed short form names it too
                        orgs.append(Span(doc, named + 1, named + 2, label=ORG, span_id=orgs[-1].text))
                    i = named - 1
                i += 1
            elif token.lower_ in self.connectors and i + 1 in known and known[i + 1] != PER:
                i += 2  # "Duta Besar Jepang untuk Indonesia, …"
            else:
                break
        end = self._name_end(doc, i)
        person = next((j for j in range(i + 1, end) if j in full_names), None)
        if person is not None:
            # "Ketua Umum Partai Maju Budi Santoso" without a head word: "Ketua Harian Gerindra Budi Santoso";
            # what stands between the title and a person the KB knows is the organization
            first = i - 1 if i > 0 and doc[i - 1].text.isupper() and len(doc[i - 1]) >= 2 and i - 1 not in known else i
            if doc[first:person].text.casefold() in self.honorifics:
                return orgs  # "Perdana Menteri Datuk Seri Anwar Ibrahim": kg_mentions keeps the honorific out
            if orgs and orgs[-1].start == first:
                orgs.pop()
            return [*orgs, Span(doc, first, person, label=ORG)] if person - first <= 3 else orgs
        if (
            end == i + 1
            and end + 2 < len(doc)
            and doc[end].text == ","
            and self._name_end(doc, end + 1) - (end + 1) >= 2
            and end + 1 not in known
        ):
            # "Ketua Harian Gerindra, Budi Santoso": the word after the title is the organization, the name
            # after the comma the person
            return [*orgs, Span(doc, i, end, label=ORG), Span(doc, end + 1, self._name_end(doc, end + 1), label=PER)]
        if end == i + 1 and end < len(doc) and doc[end].text[:1].isupper() and not doc[end].is_punct:
            return orgs  # "Ketua Munas XI …": a single word the name reader stopped after is no sure name
        return [*orgs, Span(doc, i, end, label=PER)] if end > i else orgs

    def _acronym_name(self, doc: Doc, i: int) -> int:
        """End of the organization an acronym at ``i`` starts: ``PDI Perjuangan (PDIP)`` when the bracketed
        short form abbreviates the acronym and the word after it, else the acronym alone."""
        j = i + 1
        if (
            j + 3 < len(doc)
            and self._is_name_token(doc[j])
            and doc[j + 1].text == "("
            and doc[j + 3].text == ")"
            and _abbreviates(doc[j + 2].text, doc[i : j + 1].text)
        ):
            return j + 1
        return j

    def _name_at(self, doc: Doc, i: int, known: dict[int, str]) -> list[Span]:
        """``kata Federer``: the name right after a speech verb, unless the KB knows it already."""
        end = self._name_end(doc, i)
        if end == i or any(j in known for j in range(i, end)):
            return []
        return [Span(doc, i, end, label=PER)]

    def _name_before(self, doc: Doc, i: int, known: dict[int, str]) -> list[Span]:
        """``Lavrov mengatakan``: the name right before a speech verb. A lone capitalized word opening
        a sentence ("Pemerintah mengatakan") is more often a common noun than a name, so not that."""
        start = i
        while (
            start > 0 and i - start < MAX_NAME_TOKENS and self._is_name_token(doc[start - 1]) and start - 1 not in known
        ):
            start -= 1
            if doc[start].is_sent_start:
                break
        if start == i or (i - start == 1 and doc[start].is_sent_start):
            return []
        return [Span(doc, start, i, label=PER)]

    def _place_after(self, doc: Doc, i: int) -> list[Span]:
        if i >= len(doc) or doc[i].is_sent_start:
            return []
        end = self._name_end(doc, i)
        return [Span(doc, i, end, label=LOC)] if 0 < end - i <= 3 else []
