"""``kg_statements``: who said what, as direct quotes and as reported speech.

Direct quotes are the words between straight or curly quote marks, attributed by what stands
next to them:

- a name with a speech verb: ``"…," tegas Peskov``, ``"…," kata Menlu Retno``, ``"…," Blinken said``,
  ``"…," said Blinken``, ``Lavrov mengatakan, "…"``, ``Retno said: "…"``, ``"…," Kremlin spokesman
  Dmitry Peskov told Reuters`` (the person; Reuters is the channel), ``"…," said the Minister of
  Finance, Sri Mulyani`` and ``ujar Ketua Harian Partai Maju, Budi Santoso`` (the person after the title);
- the ``-nya`` forms (``jelasnya``, ``ucapnya``, …), ``kata dia`` and ``he said``: the person the
  sentence before opens with (``Sementara itu, Kepala BNPB Suharyanto …``; not one named inside
  reported content or a quote), else the person being quoted now, else the one the story is about;
- a title alone (``kata Presiden``, ``the minister said``, ``tegas Menlu RI``, ``the French
  president said``): the person the article gave that title (as written first: the President, not
  the Vice President), else the person it was written before, or the organization it names;
- ``… and said, "…"``, ``X responded, "…"``, and a quote inside a reported sentence
  (``Han berkata kedua negara adalah "…"``): the speaker of that verb;
- nothing: after an attributed quote in the same paragraph (``"…," ujarnya. "…"``), in a paragraph
  that continues a run of quote paragraphs or follows reported speech: the same speaker; a quote
  paragraph the next one attributes (``Hal itu disampaikan Menlu Retno …``): that person;
- a quote left open at a paragraph's end continues in the next paragraph's quote, or up to a
  closing mark there; a quote never closed, a closing mark without its opening, and a name or
  title in quote marks inside a sentence (``"Raja Jawa" adalah …``) are not quotes.

Reported speech is a speaker, a reporting verb and its content: ``X mengatakan (bahwa) …``,
``menurut X, …``, ``X said (that) …``, ``according to X, …``. A quote without a speaker is kept,
unattributed. Channels (``dikutip TASS``, ``told Reuters``, ``kepada wartawan``) and dates from the
same or the preceding sentence are attached. Results: ``doc._.kg_statements``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.normalize import fold
from kg.pipeline.dates import DATES
from kg.pipeline.layout import ARTICLE_ROLES, DATELINE, EXCLUDED, HEADLINE, TITLE_CASE, text_lines
from kg.pipeline.mentions import mention_key
from kg.records import EntityType, Role, Statement

Doc.set_extension("kg_statements", default=[], force=True)

PER, ORG = EntityType.PER.value, EntityType.ORG.value
SPEAKER_LABELS = frozenset({PER, ORG})
_QUOTE = re.compile(r"[\"“”]")


@dataclass(slots=True)
class _Found:
    """A statement before its speaker is resolved; ``how`` says how to find the speaker."""

    start: int
    end: int
    direct: bool
    how: str  # "ent" | "current" | "title" | "previous" | "unnamed" | "none"
    speaker: Span | None = None
    title: str = ""
    cue: Span | None = None  # where to look for channel and date: the attribution's sentence
    line: int = -1  # the paragraph it starts in
    para_start: bool = False  # a quote that opens its paragraph
    inside: bool = False  # a quote inside a reported sentence, which is reported speech too


@Language.factory(
    "kg_statements",
    default_config={
        "quote_verbs": [],
        "quote_suffix": "",
        "reporting_verbs": [],
        "according_to": [],
        "complementizers": [],
        "pronouns": [],
        "fillers": [],
        "channel_cues": [],
        "reporter_words": [],
        "titles": [],
        "title_words": [],
        "passive_verbs": [],
    },
)
def make_statements(
    nlp: Language,
    name: str,
    quote_verbs: list[str],
    quote_suffix: str,
    reporting_verbs: list[str],
    according_to: list[str],
    complementizers: list[str],
    pronouns: list[str],
    fillers: list[str],
    channel_cues: list[str],
    reporter_words: list[str],
    titles: list[str],
    title_words: list[str],
    passive_verbs: list[str],
) -> Statements:
    return Statements(
        quote_verbs=frozenset(quote_verbs),
        quote_suffix=quote_suffix,
        reporting_verbs=frozenset(reporting_verbs),
        according_to=tuple(according_to),
        complementizers=frozenset(complementizers),
        pronouns=frozenset(pronouns),
        fillers=frozenset(fillers),
        channel_cues=tuple(sorted(channel_cues, key=len, reverse=True)),
        reporter_words=tuple(sorted(reporter_words, key=len, reverse=True)),
        title_words=frozenset(title_words) | {w for t in titles for w in t.split()},
        title_heads=frozenset(w for t in titles for w in t.split()),
        passive_verbs=frozenset(passive_verbs),
        speech=frozenset(quote_verbs) | frozenset(reporting_verbs),
        speech_or_pronoun=frozenset(quote_verbs)
        | frozenset(reporting_verbs)
        | frozenset(pronouns)
        | {phrase.split()[0] for phrase in according_to},
    )


@dataclass(slots=True, frozen=True)
class Statements:
    quote_verbs: frozenset[str]
    quote_suffix: str
    reporting_verbs: frozenset[str]
    according_to: tuple[str, ...]
    complementizers: frozenset[str]
    pronouns: frozenset[str]
    fillers: frozenset[str]
    channel_cues: tuple[str, ...]
    reporter_words: tuple[str, ...]
    title_words: frozenset[str]
    title_heads: frozenset[str]  # the words of the titles themselves ("minister", "menlu"), not of portfolios
    passive_verbs: frozenset[str]  # "Hal itu disampaikan X": said, with the speaker after
    speech: frozenset[str]  # quote and reporting verbs
    speech_or_pronoun: frozenset[str]  # and pronouns, "menurut"/"according to": not an opening phrase

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        bylines = [s for s in doc.spans.get(ARTICLE_ROLES, []) if s.label_ in {"author", "editor"}]
        skipped = [s for group in (EXCLUDED, TITLE_CASE, HEADLINE) for s in doc.spans.get(group, [])] + bylines
        lines = [
            (start, end)
            for start, end in text_lines(text)
            if not any(s.start_char <= start < s.end_char or start <= s.start_char < end for s in skipped)
        ]
        ents = {token.i: ent for ent in doc._.kg_ents for token in ent}
        found = self._quotes(doc, text, lines, ents)
        line_starts = [start for start, _ in lines]
        quoted = [(f.start, f.end) for f in found if not f.inside]
        quote_starts = sorted(s for s, _ in quoted)
        for sent in doc._.kg_sentences.spans:
            line = bisect_right(line_starts, sent.start_char) - 1
            if line < 0 or sent.start_char >= lines[line][1]:
                continue  # in a left-out line
            first_after = bisect_right(quote_starts, sent.start_char - 1)  # a quote starting in the sentence
            if first_after < len(quote_starts) and quote_starts[first_after] < sent.end_char:
                continue
            if any(s <= sent.start_char < e for s, e in quoted):  # few: the quotes are what is tested last
                continue
            reported = self._reported(sent, ents)
            if reported is not None:
                reported.line = line
                found.append(reported)
        doc._.kg_statements = self._resolve(doc, sorted(found, key=lambda f: f.start), ents, lines)
        return doc

    # --- direct quotes ----------------------------------------------------------------

    def _quotes(self, doc: Doc, text: str, lines: list[tuple[int, int]], ents: dict[int, Span]) -> list[_Found]:
        found: list[_Found] = []
        open_quote: _Found | None = None  # a quote still open at the end of the previous paragraph
        previous_line_quoted = False
        for index, (line_start, line_end) in enumerate(lines):
            marks = [m.start() for m in _QUOTE.finditer(text, line_start, line_end)]
            first = _first_char(text, line_start, line_end)
            line_quoted = False
            closes_open = False
            if open_quote is not None and not (marks and marks[0] == first):
                if marks and len(marks) % 2 and _closes(text, marks[0], line_start, line_end):
                    closes_open = True  # "…\n\nSaya percaya …," kata X: the quote goes on without a new mark
                else:
                    open_quote = None  # never closed: not a quote whose words we can delimit
            elif open_quote is None and marks and len(marks) % 2 and _closes(text, marks[0], line_start, line_end):
                marks = marks[1:]  # '…," ujar X.' without its opening mark: no words to delimit
            pairs: list[tuple[int, int | None]] = []
            if closes_open:
                pairs.append((line_start - 1, marks[0]))
                marks = marks[1:]
            pairs += list(zip(marks[0::2], marks[1::2], strict=False))
            if len(marks) % 2:
                pairs.append((marks[-1], None))
            attributed: _Found | None = None  # an attributed quote earlier in this paragraph
            for begin, close in pairs:
                content_start = begin + 1
                content_end = close if close is not None else line_end
                if open_quote is not None:  # continues last paragraph's quote
                    open_quote.end = _trim_end(text, content_start, content_end)
                    current = open_quote
                    open_quote = None
                else:
                    start = _trim_start(text, content_start, content_end)
                    current = _Found(start, _trim_end(text, start, content_end), True, "none", line=index)
                    current.para_start = begin == first
                if close is None:
                    open_quote = current
                    line_quoted = True
                    continue
                self._attribute_quote(doc, current, begin, close, line_start, line_end, ents)
                if current.how == "none" and current.para_start and index + 1 < len(lines):
                    self._attribute_passive(doc, current, close, line_end, lines[index + 1], ents)
                is_standalone = current.how != "none" or current.para_start or current.line < index
                if current.how == "none" and attributed is not None:
                    current.how = (
                        "unnamed" if attributed.how == "unnamed" else "previous"
                    )  # '"…," kata X. "…"': the second quote keeps the speaker
                    is_standalone = True
                elif current.how == "none" and previous_line_quoted and current.para_start:
                    current.how = "previous"  # a run of quote paragraphs by one speaker
                if is_standalone and current.how == "none" and not _quote_like(text, current, close, line_end):
                    is_standalone = False  # '"Raja Jawa" adalah …': a name or title in quote marks
                if is_standalone and current.end > current.start:
                    found.append(current)
                    line_quoted = True
                    if current.how != "none":
                        attributed = current
            previous_line_quoted = line_quoted
        return found

    def _attribute_quote(
        self, doc: Doc, found: _Found, begin: int, close: int, line_start: int, line_end: int, ents: dict[int, Span]
    ) -> None:
        text = doc._.kg_text
        sentences = doc._.kg_sentences
        following = _QUOTE.search(text, close + 1, line_end)  # the attribution ends where the next quote starts
        stop = following.start() if following is not None else line_end
        after = doc.char_span(close + 1, stop, alignment_mode="expand") if close + 1 < stop else None
        if after is not None and len(after):
            ends = sentences.at(after[-1].i if after[0].is_punct else after[0].i).end
            tokens = [t for t in after if t.i < ends and (not t.is_punct or t.text in {"(", ")"})]
            if self._attribute_from(tokens, found, ents):
                found.cue = sentences.at(after[0].i)
                return
        before = doc.char_span(line_start, begin, alignment_mode="contract") if line_start < begin else None
        if before is not None and len(before):
            tokens = [t for t in before if not t.is_punct]
            if tokens and (
                self._attribute_before(tokens, found, ents)
                or self._attribute_inside(tokens, found, ents, _quote_like(text, found, close, line_end))
            ):
                found.cue = sentences.at(before[0].i)

    def _attribute_passive(
        self, doc: Doc, found: _Found, close: int, line_end: int, following: tuple[int, int], ents: dict[int, Span]
    ) -> None:
        """A quote paragraph whose speaker the next paragraph names: '"…"' then 'Hal itu disampaikan
        (oleh) Retno …' / 'Demikian dikatakan Retno …'."""
        text = doc._.kg_text
        if not self.passive_verbs or text[close + 1 : line_end].strip(" .,"):
            return
        span = doc.char_span(following[0], following[1], alignment_mode="contract")
        if span is None or not len(span):
            return
        sentence = doc._.kg_sentences.at(span[0].i)
        tokens = [t for t in doc[sentence.start : sentence.end] if not t.is_punct or t.text in {"(", ")"}]
        verb = next((k for k, t in enumerate(tokens[:4]) if t.lower_ in self.passive_verbs), None)
        if verb is None:
            return
        rest = [t for t in tokens[verb + 1 :] if t.lower_ not in self.fillers and t.lower_ != "oleh"]
        named = _Found(found.start, found.end, True, "none")
        if rest and self._speaker_named_after(rest, named, ents):
            if named.how == "ent" or (named.how == "title" and named.title.split()[-1].lower() in self.title_heads):
                found.how, found.speaker, found.title, found.cue = named.how, named.speaker, named.title, sentence

    def _attribute_from(self, tokens: list[Token], found: _Found, ents: dict[int, Span]) -> bool:
        """``jelasnya`` | ``tegas Peskov`` | ``kata Presiden`` | ``Blinken said`` | ``said Blinken`` | ``he said``."""
        while tokens and tokens[0].lower_ in self.fillers:
            tokens = tokens[1:]  # '"…," demikian kata Jokowi'
        if not tokens:
            return False
        first = tokens[0]
        word = first.lower_
        speech = self.speech
        if (
            self.quote_suffix
            and word.endswith(self.quote_suffix)
            and word[: -len(self.quote_suffix)] in self.quote_verbs
        ):
            found.how = "current"
            return True
        if word in self.quote_verbs:
            if not self._speaker_named_after(tokens[1:], found, ents):
                found.how = "unnamed"  # '"…," jawab para peserta': said, by someone the text does not name
            return True
        if word in self.pronouns and len(tokens) > 1 and tokens[1].lower_ in speech:
            found.how = "current"
            return True
        for token in tokens[:10]:  # "Blinken said" | "Kremlin spokesman Dmitry Peskov said" | "X told Reuters"
            ent = ents.get(token.i)
            if ent is not None and ent.label_ in SPEAKER_LABELS:
                following = [t for t in tokens if t.i >= ent.end and t.lower_ not in self.fillers]
                if following and following[0].lower_ in speech:
                    found.how, found.speaker = "ent", ent
                    return True
            if ent is not None and ent.label_ == PER:
                break  # a person named, but not as the one who speaks
            if not (token.text[:1].isupper() or token.lower_ in self.title_words or token.text in {"'s", "’s"}):
                break
        if word in {"the", "sang"}:  # "the minister said", "the French president said"
            k = 1
            while k < len(tokens) and tokens[k].lower_ not in self.title_words and tokens[k].text[:1].isupper():
                k += 1  # an adjective of nationality before the title
            titles = []
            while k < len(tokens) and tokens[k].lower_ in self.title_words:
                titles.append(tokens[k].text)
                k += 1
            if titles and k < len(tokens) and tokens[k].lower_ in speech:
                qualifiers = [t.text for t in tokens[1:k] if t.lower_ not in self.title_words]
                found.how, found.title = "title", " ".join([*qualifiers, self._head(titles)])
                return True
        return False

    def _speaker_named_after(self, tokens: list[Token], found: _Found, ents: dict[int, Span]) -> bool:
        """Who follows a speech verb: ``kata Menlu Retno``, ``kata Menlu RI`` (a title: its holder),
        ``said the Minister of Trade, Budi Santoso`` (the person, not the ministry in the
        title), ``kata Kemlu`` (an organization speaks), ``katanya``/``he said`` forms elsewhere."""
        titles: list[str] = []
        organization: Span | None = None
        i = 0
        while i < min(len(tokens), 14):
            token = tokens[i]
            ent = ents.get(token.i)
            if ent is not None:
                if ent.label_ == PER:
                    found.how, found.speaker = "ent", self._apposition(ent, ents) or ent
                    return True
                if ent.label_ == ORG and organization is None:
                    organization = ent
                while i < len(tokens) and tokens[i].i < ent.end:
                    i += 1
                continue
            if token.lower_ in self.pronouns and not titles and organization is None:
                found.how = "current"
                return True
            if organization is not None and token.is_lower:
                break  # "kata Kemlu dalam pernyataannya": lower-case words after the organization end the name
            if token.lower_ in self.title_words:
                titles.append(token.text)
            elif i == 0 and token.is_alpha and token.is_lower:
                titles.append(token.text)  # "kata kementerian": the ministry named before, if any
                break
            elif not (token.text[:1].isupper() and (titles or organization is not None)):
                break  # "tanya Ketua Kongres V Partai Maju Budi Santoso": capitalized words go on in a title
            i += 1
        if organization is not None and not titles:
            found.how, found.speaker = "ent", organization
            return True
        if titles:
            found.how, found.title = "title", self._head(titles)
            return True
        return False

    def _apposition(self, ent: Span, ents: dict[int, Span]) -> Span | None:
        """The person named after the title when what came first was still the title: "Ketua Harian
        Partai Maju, Budi Santoso", "the Minister of Trade and Head of the Agency, Sri
        Wahyuni", "Ketua Kongres V Partai Maju Budi Santoso" (a capitalized word of a title can pass for a
        name): after a comma, or after the organization the title names."""
        doc = ent.doc
        i = ent.end
        organization = False
        while i < min(len(doc), ent.end + 15):
            other = ents.get(i)
            token = doc[i]
            if token.text == ",":
                after = ents.get(i + 1)
                return after if after is not None and after.label_ == PER and after.start == i + 1 else None
            if other is not None and other.label_ == PER:
                return other if organization and other.start == i else None
            if other is not None:
                organization = True
                i = other.end
            elif token.text[:1].isupper() or token.lower_ in self.title_words:
                i += 1
            else:
                return None
        return None

    def _head(self, titles: list[str]) -> str:
        """The title itself in a run of title words: "Menlu" in "Menlu RI", "Minister" in "Minister of
        Investment and Head of …", "Perdana Menteri" in "Perdana Menteri Qatar"."""
        at = next((k for k, t in enumerate(titles) if t.lower() in self.title_heads), 0)
        end = at
        while end < len(titles) and titles[end].lower() in self.title_heads:
            end += 1
        return " ".join(titles[at : max(end, at + 1)])

    def _attribute_before(self, tokens: list[Token], found: _Found, ents: dict[int, Span]) -> bool:
        """``Lavrov mengatakan, "…"`` | ``Retno said: "…"`` | ``kata Retno: "…"`` | ``… and said, "…"``."""
        verb = tokens[-1]
        speech = self.speech
        between = verb.doc._.kg_text[verb.idx + len(verb) : found.start]
        introduced = between.strip(' "“”‘’')[-1:] in {":", ","}  # the mark follows the colon or comma
        told = next((t for t in reversed(tokens[-4:]) if t.lower_ in speech), None)
        if verb.lower_ not in speech and introduced and told is not None and told is not verb:
            return self._speaker_of_verb(told, found, ents)  # 'X told reporters: "…"' | 'X said on Monday, "…"'
        if verb.lower_ not in speech:
            ent = ents.get(verb.i)
            if ent is None or ent.label_ not in SPEAKER_LABELS or len(tokens) <= len(ent):
                return False
            lead = tokens[: -len(ent)]
            led = " ".join(t.lower_ for t in lead[-2:])
            if lead[-1].lower_ in self.quote_verbs or any(led.endswith(p) for p in self.according_to):
                found.how, found.speaker = "ent", ent  # 'kata Retno: "…"' | 'Menurut Retno, "…"'
                return True
            return False
        return self._speaker_of_verb(verb, found, ents)

    def _attribute_inside(self, tokens: list[Token], found: _Found, ents: dict[int, Span], ends: bool) -> bool:
        """A quote inside a reported sentence: ``Han berkata kedua negara adalah "…"``, ``Blinken said he
        agreed … "to identify …"``. Only words that read as said: four or more, not a title-case name,
        and ending the clause (``ends``) unless six or more (``the book "The Art of the Deal" was`` is a title)."""
        doc = tokens[-1].doc
        words = doc._.kg_text[found.start : found.end].split()
        if len(words) < 4 or all(w[:1].isupper() for w in words) or (len(words) < 6 and not ends):
            return False
        sentence = doc._.kg_sentences.at(tokens[-1].i)
        speech = self.speech
        verb = next((t for t in reversed(tokens) if t.i >= sentence.start and t.lower_ in speech), None)
        found.inside = verb is not None and self._speaker_of_verb(verb, found, ents)
        return found.inside

    def _speaker_of_verb(self, verb: Token, found: _Found, ents: dict[int, Span]) -> bool:
        """Who a speech verb before a quote belongs to: the name right before it, a pronoun (the
        person quoted now), or, after "and" ("… and said"), the person the sentence opens with."""
        speaker = self._speaker_before(verb, ents)
        if speaker is not None:
            found.how, found.speaker = "ent", speaker
            return True
        doc = verb.doc
        i = verb.i - 1
        while i >= 0 and doc[i].lower_ in self.fillers:
            i -= 1
        if i >= 0 and doc[i].lower_ in self.pronouns:
            found.how = "current"
            return True
        subject = self._subject(doc._.kg_sentences.at(verb.i), ents)
        if subject is not None and subject.end <= verb.i:
            found.how, found.speaker = "ent", subject
            return True
        return False

    # --- reported speech ----------------------------------------------------------------

    def _reported(self, sent: Span, ents: dict[int, Span]) -> _Found | None:
        sent_text = sent.doc._.kg_text[sent.start_char : sent.end_char]
        lowered = sent_text.casefold()
        for phrase in self.according_to:  # "menurut X, …" / "…, according to X."
            at = lowered.find(phrase + " ")
            if at < 0:
                continue
            after = sent.doc.char_span(sent.start_char + at + len(phrase) + 1, sent.end_char, alignment_mode="expand")
            ent = ents.get(after[0].i) if after is not None and len(after) else None
            if after is None or ent is None or ent.label_ not in SPEAKER_LABELS:
                continue
            if at == 0 or sent_text[:at].strip() == "":
                comma = next((t for t in sent if t.i >= ent.end and t.text == ","), None)
                if comma is None:
                    continue
                content = self._content(sent.doc[comma.i + 1 : sent.end], ents)
            else:
                content = (
                    self._content(sent.doc[sent.start : after[0].i - 1], ents) if after[0].i - 1 > sent.start else None
                )
            if content is not None:
                return _Found(content[0], content[1], False, "ent", speaker=ent, cue=sent)
        for token in sent:  # "…, kata pengamat Universitas Gadjah Mada, Rina Kusumawati."
            if token.lower_ in self.quote_verbs and token.i > sent.start and sent.doc[token.i - 1].text == ",":
                speaker = self._speaker_after(token, sent, ents)
                content = self._content(sent.doc[sent.start : token.i - 1], ents) if speaker is not None else None
                if content is not None:
                    return _Found(content[0], content[1], False, "ent", speaker=speaker, cue=sent)
        words = [t for t in sent if not t.is_punct and not t.is_space]
        if len(words) > 2 and words[-1].lower_ in self.reporting_verbs:  # "…, the State Department said."
            speaker = self._speaker_before(words[-1], ents)
            comma = sent.doc[speaker.start - 1] if speaker is not None and speaker.start > sent.start else None
            if comma is not None and comma.lower_ == "the" and comma.i > sent.start:
                comma = sent.doc[comma.i - 1]
            if comma is not None and comma.text == ",":
                content = self._content(sent.doc[sent.start : comma.i], ents)
                if content is not None:
                    return _Found(content[0], content[1], False, "ent", speaker=speaker, cue=sent)
        for token in sent:
            if token.lower_ not in self.reporting_verbs:
                continue
            speaker = self._speaker_before(token, ents)
            found = _Found(0, 0, False, "ent" if speaker is not None else "", speaker=speaker, cue=sent)
            if speaker is None and token.i > sent.start:
                before = [t for t in sent.doc[sent.start : token.i] if not t.is_punct]
                if before and before[-1].lower_ in self.pronouns:
                    found.how = "current"
                elif (
                    before
                    and before[0].lower_ in {"the", "sang"}
                    and all(t.lower_ in self.title_words for t in before[1:])
                    and len(before) > 1
                ):
                    found.how, found.title = "title", " ".join(t.text for t in before[1:])
                elif (
                    before
                    and before[0].lower_ in self.title_heads
                    and len(before) <= 8
                    and not any(ents.get(t.i) is not None and ents[t.i].label_ == PER for t in before)
                ):  # "PM Australia yang baru terpilih itu mengatakan …": the holder of the title
                    titles = [t.text for t in before if t.lower_ in self.title_words]
                    found.how, found.title = "title", self._head(titles)
            if not found.how:
                continue
            content = self._content(sent.doc[token.i + 1 : sent.end], ents)
            if content is not None:
                found.start, found.end = content
                return found
        return None

    def _speaker_after(self, verb: Token, sent: Span, ents: dict[int, Span]) -> Span | None:
        """The person after a postposed speech verb, past titles and affiliations."""
        i = verb.i + 1
        while i < sent.end:
            ent = ents.get(i)
            if ent is not None and ent.label_ == PER:
                return ent
            if ent is not None:
                i = ent.end
            elif sent.doc[i].lower_ in self.title_words or sent.doc[i].text == ",":
                i += 1
            else:
                return None
        return None

    def _speaker_before(self, verb: Token, ents: dict[int, Span]) -> Span | None:
        i = verb.i - 1
        while i >= 0 and (verb.doc[i].lower_ in self.fillers or verb.doc[i].text == ","):
            i -= 1
        ent = ents.get(i)
        if ent is None or ent.label_ not in SPEAKER_LABELS or ent.end != i + 1:
            return None
        # "Maria Gunawan of the Centre for … said": the person speaks, the organization is her affiliation
        j = ent.start - 1
        while j >= 0 and verb.doc[j].lower_ in {"of", "the", "dari", "from"}:
            j -= 1
        person = ents.get(j)
        if ent.label_ == ORG and j < ent.start - 1 and person is not None and person.label_ == PER:
            return person
        return ent

    def _content(self, span: Span, ents: dict[int, Span]) -> tuple[int, int] | None:
        """The reported words: after "bahwa"/"that", a leading date, "kepada wartawan" and commas."""
        doc = span.doc
        dates = {t.i for d in doc.spans.get(DATES, []) for t in d}
        i, end = span.start, span.end
        for dateline in doc.spans.get(DATELINE, []):
            if dateline.start <= i < dateline.end:
                i = dateline.end
        addressee = ents.get(i)  # "told Biden that …": the one told is not what was said
        if (
            addressee is not None
            and addressee.start == i
            and addressee.end < end
            and doc[addressee.end].lower_ in self.complementizers
        ):
            i = addressee.end
        text = doc._.kg_text

        def words_from(k: int) -> str:  # the span's text from token k, folded (no Span joins its tokens)
            return text[doc[k].idx : doc[end - 1].idx + len(doc[end - 1])].casefold()

        for j in range(i + 1, end):  # "…, according to China's Foreign Ministry": not part of the content
            if doc[j - 1].text == "," and words_from(j).startswith((*self.according_to, *self.channel_cues)):
                end = j - 1
                break
        while i < end:
            token = doc[i]
            lead = words_from(i)
            reporters = next(
                (w for w in self.reporter_words if lead.startswith(f"kepada {w}") or lead.startswith(f"to {w}")), None
            )
            if (
                token.lower_ in self.complementizers
                or token.text in {",", ":"}
                or i in dates
                or (token.lower_ in {"pada", "on"} and i + 1 in dates)
            ):
                i += 1
            elif reporters is not None:
                i += len(
                    doc.char_span(token.idx, token.idx + len(reporters) + len(token.text) + 1, alignment_mode="expand")
                    or [token]
                )
            else:
                break
        while end > i and doc[end - 1].is_punct and doc[end - 1].text not in {")", '"', "”"}:
            end -= 1
        if end - i < 2:  # "posisi Indonesia" says something; "itu" alone does not
            return None
        return doc[i].idx, doc[end - 1].idx + len(doc[end - 1].text)

    # --- speakers, channels and dates -------------------------------------------------

    def _resolve(
        self, doc: Doc, found: list[_Found], ents: dict[int, Span], lines: list[tuple[int, int]]
    ) -> list[Statement]:
        roles = doc._.get("kg_roles") or []
        dates = [(d.start_char, d._.kg_date_range) for d in doc.spans.get(DATES, [])]
        text = doc._.kg_text
        sentences = doc._.kg_sentences
        spoken = [sent for sent in sentences.spans if text[sent.start_char : sent.end_char].strip()]
        persons = sorted((ent for ent in doc._.kg_ents if ent.label_ == PER), key=lambda e: e.start_char)
        current: str | None = None
        statements: list[Statement] = []
        said = [(f.start, f.end) for f in found]
        quoted = [(f.start, f.end) for f in found if f.direct]
        dates = [(start, rng) for start, rng in dates if not any(s <= start < e for s, e in said)]
        names: dict[str, str] = {}  # speaker key -> the longest name the article gives it
        for ent in doc._.kg_ents:
            if ent.label_ == PER and len(ent.text) > len(names.get(mention_key(ent), "")):
                names[mention_key(ent)] = ent.text
        previous: _Found | None = None
        previous_speaker: str | None = None
        for item in found:
            speaker: str | None = None
            how = item.how
            if (
                how == "none"
                and item.para_start
                and previous is not None
                and previous.line == item.line - 1
                and previous_speaker
            ):
                how = "previous"  # a quote paragraph right after a paragraph of someone's words: theirs
            if how == "ent" and item.speaker is not None:
                speaker = mention_key(item.speaker)
                if current is not None and speaker != current and _short_for(item.speaker, names.get(current, "")):
                    speaker = current  # "ujar Hasto" right after Hasto Wardoyo spoke: the same Hasto
            elif how == "current":
                # "…," ujarnya / he said: the person the sentence before introduced, else the one quoted now
                subject = self._subject_before(doc, item.start, ents, lines, quoted, 1 if current else 8)
                if subject is not None:
                    speaker = mention_key(subject)
                else:
                    speaker = current or next(
                        (mention_key(p) for p in reversed(persons) if p.end_char <= item.start), None
                    )
            elif how == "previous":  # the run goes on: the speaker of the words just before
                speaker = previous_speaker
                if speaker is None and previous is not None and previous.how == "none":
                    speaker = current  # past a paragraph whose speaker was not said at all
            elif how == "title":
                speaker = _holder(item.title, item.start, roles, doc._.kg_ents, text)
            if speaker is not None:
                current = speaker
            previous, previous_speaker = item, speaker
            cue = item.cue or doc.char_span(item.start, item.end, alignment_mode="expand")
            channel, to_reporters = self._channel(cue, ents, speaker) if cue is not None else (None, False)
            statements.append(
                Statement(
                    text=_clean(text[item.start : item.end]),
                    start=item.start,
                    end=item.end,
                    direct=item.direct,
                    speaker_key=speaker,
                    channel_key=channel,
                    to_reporters=to_reporters,
                    date=_date_near(sentences.at(cue.start), spoken, dates) if cue is not None else None,
                )
            )
        return _unique(_share_dates(statements))

    def _subject_before(
        self,
        doc: Doc,
        at: int,
        ents: dict[int, Span],
        lines: list[tuple[int, int]],
        quoted: list[tuple[int, int]],
        back: int,
    ) -> Span | None:
        """The person who opens one of the ``back`` sentences before the one holding ``at`` (the
        sentences of left-out lines, such as ``Baca juga:``, do not count; one inside a quote opens
        with the speaker's words, not the speaker)."""
        sentences = doc._.kg_sentences
        token = doc.char_span(at, at + 1, alignment_mode="expand")
        if token is None or not len(token):
            return None
        index = bisect_right(sentences.starts, token[0].i) - 1
        starts = [start for start, _ in lines]
        while index > 0 and back > 0:
            index -= 1
            sent = sentences.spans[index]
            line = bisect_right(starts, sent.start_char) - 1
            if line < 0 or sent.start_char >= lines[line][1] or not sent.text.strip():
                continue
            back -= 1
            if any(s <= sent.start_char < e for s, e in quoted):
                continue
            subject = self._subject(sent, ents)
            if subject is not None:
                return subject
        return None

    def _subject(self, sent: Span, ents: dict[int, Span]) -> Span | None:
        """The person a sentence is about when it opens with them, past titles, their organization
        and a short opening phrase: "Sementara itu, Kepala BNPB Suharyanto …", "Ruto, who …"."""
        doc = sent.doc
        i = sent.start
        speech = self.speech_or_pronoun
        comma = next((t.i for t in doc[sent.start : min(sent.end, sent.start + 6)] if t.text == ","), None)
        if comma is not None and not any(k in ents or doc[k].lower_ in speech for k in range(sent.start, comma)):
            i = comma + 1  # "Sementara itu," / "In his opening remarks," (not "Ia menambahkan, Jokowi …")
        while i < min(sent.end, sent.start + 20):
            ent = ents.get(i)
            token = doc[i]
            if token.lower_ in self.pronouns:
                return None  # "Dia mengatakan Jokowi …": about the one quoted now
            if ent is not None:
                if ent.label_ == PER:
                    return ent
                i = ent.end
            elif _QUOTE.fullmatch(token.text) or token.text in {"‘", "’", "'"}:
                return None
            elif token.is_punct or token.text[:1].isupper() or token.lower_ in self.title_words:
                i += 1
            else:
                return None
        return None

    def _channel(self, sent: Span, ents: dict[int, Span], speaker: str | None) -> tuple[str | None, bool]:
        sentence = sent.doc._.kg_sentences.at(sent.start)
        lowered = sent.doc._.kg_text[sentence.start_char : sentence.end_char].casefold()
        base = sentence.start_char
        to_reporters = any(
            f"{cue} {word}" in lowered for cue in ("kepada", "told", "to") for word in self.reporter_words
        )
        for cue in self.channel_cues:
            at = lowered.find(cue + " ")
            if at < 0:
                continue
            after = sent.doc.char_span(base + at + len(cue) + 1, base + len(lowered), alignment_mode="expand")
            channel = _organization_at(after, ents) if after is not None else None
            if channel is not None and mention_key(channel) != speaker:
                return mention_key(channel), to_reporters
        return None, to_reporters


def _holder(title: str, before: int, roles: list[Role], ents: tuple[Span, ...], text: str) -> str | None:
    """Who "the minister" / "Presiden" / "Menlu RI" / "the French president" is: a holder of that
    title (as written; else one ending in its word, written with its qualifier: "French President
    Emmanuel Macron"; else any ending in it), the one named last before; without a role, the person
    the title was written before ("Prince Faisal"), or the organization it names ("kata kementerian")."""
    words = fold(title).split()
    word = words[-1]
    exact = {r.holder_key for r in roles if fold(r.title) == " ".join(words)}
    loose = [r for r in roles if fold(r.title).split()[-1] == word]
    qualified = {r.holder_key for r in loose if len(words) > 1 and set(words[:-1]) <= _written_with(r, text)}
    earlier = [e for e in ents if e.end_char <= before]
    described = next((e for e in reversed(earlier) if e.label_ == PER and _described_as(e, word)), None)
    for holders in (exact, qualified, {r.holder_key for r in loose}):
        named = [e for e in earlier if mention_key(e) in holders]
        if named:
            # "Wang Yi, China's foreign minister, …": named after the last holder, and so described
            later = described is not None and described.start_char > named[-1].start_char
            return mention_key(described if later and described is not None else named[-1])
        if len(holders) == 1:
            return next(iter(holders))
    if described is not None:
        return mention_key(described)
    for ent in reversed(earlier):
        doc = ent.doc
        if ent.label_ == PER and ent.start > 0 and fold(doc[ent.start - 1].text) == word:
            return mention_key(ent)
        if ent.label_ == ORG and word in fold(ent.text).split():
            return mention_key(ent)
    return None


def _described_as(ent: Span, word: str) -> bool:
    """A person followed by a description with the title's word: "Wang Yi, China's foreign minister"."""
    doc = ent.doc
    after = doc[ent.end : min(len(doc), ent.end + 6)]
    return len(after) > 1 and after[0].text == "," and word in {fold(t.text) for t in after[1:]}


def _short_for(mention: Span, name: str) -> bool:
    """An unlinked one-word name that is a word of another person's name ("Hasto" of "Hasto Wardoyo")."""
    words = fold(name).split()
    return (
        mention.label_ == PER
        and not mention.kb_id_
        and len(mention) == 1
        and len(words) > 1
        and fold(mention.text) in words
    )


def _written_with(role: Role, text: str) -> set[str]:
    """The words of a role as written, with the two before it ("French" in "French President Emmanuel Macron")."""
    return set(fold(" ".join(text[: role.start].split()[-2:]) + " " + text[role.start : role.end]).split())


def _organization_at(span: Span, ents: dict[int, Span]) -> Span | None:
    """The organization a channel cue names: right after it, or after a country's possessive
    ("according to China's Foreign Ministry"); "told reporters at the alliance's …" names none."""
    for token in span[:4]:
        ent = ents.get(token.i)
        if ent is not None and ent.label_ == ORG:
            return ent
        if not ((ent is not None and ent.label_ == "LOC") or token.text in {"'s", "’s"}):
            return None
    return None


def _closes(text: str, at: int, line_start: int, line_end: int) -> bool:
    """A quote mark that ends words (after a word, before a space or punctuation), not one that opens them."""
    before = text[at - 1] if at > line_start else " "
    after = text[at + 1] if at + 1 < line_end else " "
    return not before.isspace() and before not in "([" and (after.isspace() or after in ",.;:!?)]")


def _quote_like(text: str, found: _Found, close: int, line_end: int) -> bool:
    """Words in quote marks that stand as what someone said, not a name or title inside a sentence
    ('"Raja Jawa" adalah …', 'the "Golden Indonesia" plan'): those run on in lower case after the mark."""
    if text[found.start : found.end][-1:] in {".", "!", "?", ","} or text[close - 1 : close] in {".", "!", "?", ","}:
        return True
    rest = text[close + 1 : line_end].lstrip()
    return not rest[:1].islower()


def _first_char(text: str, start: int, end: int) -> int:
    return start + len(text[start:end]) - len(text[start:end].lstrip())


def _trim_start(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _trim_end(text: str, start: int, end: int) -> int:
    """Drop the comma that quoting adds before the attribution ("…," kata X), and trailing space."""
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] == ",":
        end -= 1
    return end


def _clean(text: str) -> str:
    """Verbatim, but a quote running over paragraphs reads without the inner quote marks."""
    return re.sub(r"\s*\n\s*[\"“]\s*", "\n", text).strip()


def _date_near(sent: Span, sentences: list[Span], dates: list[tuple[int, tuple[date, date]]]) -> date | None:
    """A single day named in the statement's sentence, else in the sentence before it (never one
    named inside what was said: "would sign on October 20" is not when it was said)."""
    index = next((i for i, s in enumerate(sentences) if s.start == sent.start), None)
    if index is None:
        return None
    for candidate in (sentences[index], sentences[index - 1] if index > 0 else None):
        if candidate is None:
            continue
        days = [rng for start, rng in dates if candidate.start_char <= start < candidate.end_char and rng[0] == rng[1]]
        if days:
            return days[0][0]
    return None


def _share_dates(statements: list[Statement]) -> list[Statement]:
    """Consecutive statements by one speaker were made on one occasion: they share its date."""
    shared = list(statements)
    run: list[int] = []
    for index in range(len(shared) + 1):
        if index < len(shared) and run and shared[index].speaker_key == shared[run[0]].speaker_key:
            run.append(index)
            continue
        days = {shared[i].date for i in run if shared[i].date is not None}
        if len(days) == 1 and shared[run[0]].speaker_key is not None:
            day = days.pop()
            for i in run:
                shared[i] = replace(shared[i], date=day)
        run = [index]
    return shared


def _unique(statements: list[Statement]) -> list[Statement]:
    """The lead and the first paragraph often say the same thing: keep the first of each. The same
    words (as the statement's IRI reads them: "Setuju?" and "Setuju!" alike) from one speaker are one
    statement, a direct quote when they were quoted ('Macron said: "…"' is not reported speech too)."""

    def key(statement: Statement) -> tuple[str | None, str]:
        words = " ".join(re.findall(r"\w+", fold(statement.text)))
        return (statement.speaker_key, words if statement.speaker_key else f"{statement.start}")

    keys = [key(statement) for statement in statements]
    quoted = {k for k, statement in zip(keys, statements, strict=True) if statement.direct}
    seen: set[tuple[str | None, str]] = set()
    kept = []
    for k, statement in zip(keys, statements, strict=True):
        if k not in seen and (statement.direct or k not in quoted):
            seen.add(k)
            kept.append(statement)
    return kept
