"""Direct quotes: the words between straight or curly quote marks, and what stands next to
them that says who spoke (see ``kg_statements`` for the forms)."""

from __future__ import annotations

from bisect import bisect_right

import numpy as np
from spacy.tokens import Doc, Span, Token

from kg.pipeline.doc import sentences_of, text_of, tokens_of
from kg.pipeline.speakers import ORG, PER, QUOTE, SPEAKER_LABELS, Found, How, Speakers


class Quotes(Speakers):
    __slots__ = ()

    def _quotes(self, doc: Doc, text: str, lines: list[tuple[int, int]], ents: dict[int, Span]) -> list[Found]:
        found: list[Found] = []
        open_quote: Found | None = None  # a quote still open at the end of the previous paragraph
        previous_line_quoted = False
        for index, (line_start, line_end) in enumerate(lines):
            marks = [m.start() for m in QUOTE.finditer(text, line_start, line_end)]
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
            attributed: Found | None = None  # an attributed quote earlier in this paragraph
            for begin, close in pairs:
                content_start = begin + 1
                content_end = close if close is not None else line_end
                if open_quote is not None:  # continues last paragraph's quote
                    open_quote.end = _trim_end(text, content_start, content_end)
                    current = open_quote
                    open_quote = None
                else:
                    start = _trim_start(text, content_start, content_end)
                    current = Found(start, _trim_end(text, start, content_end), True, How.NONE, line=index)
                    current.para_start = begin == first
                if close is None:
                    open_quote = current
                    line_quoted = True
                    continue
                self._attribute_quote(doc, current, begin, close, line_start, line_end, ents)
                if current.how is How.NONE and current.para_start and index + 1 < len(lines):
                    self._attribute_passive(doc, current, close, line_end, lines[index + 1], ents)
                is_standalone = current.how is not How.NONE or current.para_start or current.line < index
                if current.how is How.NONE and attributed is not None:
                    current.how = (
                        How.UNNAMED if attributed.how is How.UNNAMED else How.PREVIOUS
                    )  # '"…," kata X. "…"': the second quote keeps the speaker
                    is_standalone = True
                elif current.how is How.NONE and previous_line_quoted and current.para_start:
                    current.how = How.PREVIOUS  # a run of quote paragraphs by one speaker
                if is_standalone and current.how is How.NONE and not _quote_like(text, current, close, line_end):
                    is_standalone = False  # '"Raja Jawa" adalah …': a name or title in quote marks
                if is_standalone and current.end > current.start:
                    found.append(current)
                    line_quoted = True
                    if current.how is not How.NONE:
                        attributed = current
            previous_line_quoted = line_quoted
        return found

    def _attribute_quote(
        self, doc: Doc, found: Found, begin: int, close: int, line_start: int, line_end: int, ents: dict[int, Span]
    ) -> None:
        text = text_of(doc)
        sentences = sentences_of(doc)
        following = QUOTE.search(text, close + 1, line_end)  # the attribution ends where the next quote starts
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
            tokens = self._tail_words(doc, before.start, before.end, ents)
            if tokens and (
                self._attribute_before(tokens, found, ents)
                or self._attribute_inside(tokens, found, ents, _quote_like(text, found, close, line_end))
            ):
                found.cue = sentences.at(before.start)

    def _tail_words(self, doc: Doc, start: int, end: int, ents: dict[int, Span]) -> list[Token]:
        """The words (not punctuation) of ``doc[start:end]`` that the attribution before a quote
        reads: the last name and the words before it, and the last speech verb of that sentence.
        Not every word back to the paragraph's start, which for every quote of a long paragraph
        made the work grow with the square of its length."""
        word_at, speech_at = self._word_index(doc)
        last = word_at[end - 1]
        if last < start:
            return []
        ent = ents.get(last)
        need = max(4, (len(ent) if ent is not None else 0) + 2)  # what _attribute_before reads
        kept: list[int] = []
        i = last
        while i >= start and len(kept) < need:
            kept.append(i)
            i = word_at[i - 1] if i > 0 else -1
        if i >= start:  # words left out: _attribute_inside wants the sentence's last speech verb
            verb = bisect_right(speech_at, i) - 1
            if verb >= 0 and speech_at[verb] >= max(start, sentences_of(doc).at(last).start):
                kept.append(speech_at[verb])
        return [doc[k] for k in reversed(kept)]

    def _word_index(self, doc: Doc) -> tuple[list[int], list[int]]:
        """For each token, the last word (not punctuation) at or before it (-1: none); and where the
        speech verbs are. Made once a Doc."""
        index = doc.user_data.get("kg_word_index")
        if index is None:
            tokens = tokens_of(doc)
            positions = np.where(np.array(tokens.is_punct, dtype=bool), -1, np.arange(len(tokens.is_punct)))
            word_at = np.maximum.accumulate(positions).tolist() if len(positions) else []
            speech_at = [i for i, lower in enumerate(tokens.lower) if lower in self.speech]
            index = doc.user_data["kg_word_index"] = (word_at, speech_at)
        return index

    def _attribute_passive(
        self, doc: Doc, found: Found, close: int, line_end: int, following: tuple[int, int], ents: dict[int, Span]
    ) -> None:
        """A quote paragraph whose speaker the next paragraph names: '"…"' then 'Hal itu disampaikan
        (oleh) Retno …' / 'Demikian dikatakan Retno …'."""
        text = text_of(doc)
        if not self.passive_verbs or text[close + 1 : line_end].strip(" .,"):
            return
        span = doc.char_span(following[0], following[1], alignment_mode="contract")
        if span is None or not len(span):
            return
        sentence = sentences_of(doc).at(span[0].i)
        tokens = [t for t in doc[sentence.start : sentence.end] if not t.is_punct or t.text in {"(", ")"}]
        verb = next((k for k, t in enumerate(tokens[:4]) if t.lower_ in self.passive_verbs), None)
        if verb is None:
            return
        rest = [t for t in tokens[verb + 1 :] if t.lower_ not in self.fillers and t.lower_ != "oleh"]
        named = Found(found.start, found.end, True, How.NONE)
        if rest and self._speaker_named_after(rest, named, ents):
            if named.how is How.ENT or (named.how is How.TITLE and named.title.split()[-1].lower() in self.title_heads):
                found.how, found.speaker, found.title, found.cue = named.how, named.speaker, named.title, sentence

    def _attribute_from(self, tokens: list[Token], found: Found, ents: dict[int, Span]) -> bool:
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
            found.how = How.CURRENT
            return True
        if word in self.quote_verbs:
            if not self._speaker_named_after(tokens[1:], found, ents):
                found.how = How.UNNAMED  # '"…," jawab para peserta': said, by someone the text does not name
            return True
        if word in self.pronouns and len(tokens) > 1 and tokens[1].lower_ in speech:
            found.how = How.CURRENT
            return True
        for token in tokens[:10]:  # "Blinken said" | "Kremlin spokesman Dmitry Peskov said" | "X told Reuters"
            ent = ents.get(token.i)
            if ent is not None and ent.label_ in SPEAKER_LABELS:
                following = [t for t in tokens if t.i >= ent.end and t.lower_ not in self.fillers]
                if following and following[0].lower_ in speech:
                    found.how, found.speaker = How.ENT, ent
                    return True
            if ent is not None and ent.label_ == PER:
                break  # a person named, but not as the one who speaks
            if not (token.text[:1].isupper() or token.lower_ in self.title_words or token.text in {"'s", "’s"}):
                break
        if word in self.articles:  # "the minister said", "the French president said"
            k = 1
            while k < len(tokens) and tokens[k].lower_ not in self.title_words and tokens[k].text[:1].isupper():
                k += 1  # an adjective of nationality before the title
            titles = []
            while k < len(tokens) and tokens[k].lower_ in self.title_words:
                titles.append(tokens[k].text)
                k += 1
            if titles and k < len(tokens) and tokens[k].lower_ in speech:
                qualifiers = [t.text for t in tokens[1:k] if t.lower_ not in self.title_words]
                found.how, found.title = How.TITLE, " ".join([*qualifiers, self._head(titles)])
                return True
        return False

    def _speaker_named_after(self, tokens: list[Token], found: Found, ents: dict[int, Span]) -> bool:
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
                    found.how, found.speaker = How.ENT, self._apposition(ent, ents) or ent
                    return True
                if ent.label_ == ORG and organization is None:
                    organization = ent
                while i < len(tokens) and tokens[i].i < ent.end:
                    i += 1
                continue
            if token.lower_ in self.pronouns and not titles and organization is None:
                found.how = How.CURRENT
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
            found.how, found.speaker = How.ENT, organization
            return True
        if titles:
            found.how, found.title = How.TITLE, self._head(titles)
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

    def _attribute_before(self, tokens: list[Token], found: Found, ents: dict[int, Span]) -> bool:
        """``Lavrov mengatakan, "…"`` | ``Retno said: "…"`` | ``kata Retno: "…"`` | ``… and said, "…"``."""
        verb = tokens[-1]
        speech = self.speech
        between = text_of(verb.doc)[verb.idx + len(verb) : found.start]
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
                found.how, found.speaker = How.ENT, ent  # 'kata Retno: "…"' | 'Menurut Retno, "…"'
                return True
            return False
        return self._speaker_of_verb(verb, found, ents)

    def _attribute_inside(self, tokens: list[Token], found: Found, ents: dict[int, Span], ends: bool) -> bool:
        """A quote inside a reported sentence: ``Han berkata kedua negara adalah "…"``, ``Blinken said he
        agreed … "to identify …"``. Only words that read as said: four or more, not a title-case name,
        and ending the clause (``ends``) unless six or more (``the book "The Art of the Deal" was`` is a title)."""
        doc = tokens[-1].doc
        words = text_of(doc)[found.start : found.end].split()
        if len(words) < 4 or all(w[:1].isupper() for w in words) or (len(words) < 6 and not ends):
            return False
        sentence = sentences_of(doc).at(tokens[-1].i)
        speech = self.speech
        verb = next((t for t in reversed(tokens) if t.i >= sentence.start and t.lower_ in speech), None)
        found.inside = verb is not None and self._speaker_of_verb(verb, found, ents)
        return found.inside

    def _speaker_of_verb(self, verb: Token, found: Found, ents: dict[int, Span]) -> bool:
        """Who a speech verb before a quote belongs to: the name right before it, a pronoun (the
        person quoted now), or, after "and" ("… and said"), the person the sentence opens with."""
        speaker = self._speaker_before(verb, ents)
        if speaker is not None:
            found.how, found.speaker = How.ENT, speaker
            return True
        doc = verb.doc
        i = verb.i - 1
        while i >= 0 and doc[i].lower_ in self.fillers:
            i -= 1
        if i >= 0 and doc[i].lower_ in self.pronouns:
            found.how = How.CURRENT
            return True
        subject = self._subject(sentences_of(doc).at(verb.i), ents)
        if subject is not None and subject.end <= verb.i:
            found.how, found.speaker = How.ENT, subject
            return True
        return False


def _closes(text: str, at: int, line_start: int, line_end: int) -> bool:
    """A quote mark that ends words (after a word, before a space or punctuation), not one that opens them."""
    before = text[at - 1] if at > line_start else " "
    after = text[at + 1] if at + 1 < line_end else " "
    return not before.isspace() and before not in "([" and (after.isspace() or after in ",.;:!?)]")


def _quote_like(text: str, found: Found, close: int, line_end: int) -> bool:
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
