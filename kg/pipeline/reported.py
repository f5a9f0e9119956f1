"""Reported speech: a speaker, a reporting verb and its content: ``X mengatakan (bahwa) …``,
``menurut X, …``, ``X said (that) …``, ``according to X, …``, ``…, kata X.``, ``…, the State
Department said.``"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.pipeline.doc import DATELINE, date_tokens, spans_of, text_of, tokens_of
from kg.pipeline.speakers import PER, SPEAKER_LABELS, Found, How, Speakers


class ReportedSpeech(Speakers):
    __slots__ = ()

    def _reported(self, sent: Span, ents: dict[int, Span]) -> Found | None:
        doc = sent.doc
        tokens = tokens_of(doc)
        words, lowers = tokens.text, tokens.lower
        sent_text = text_of(doc)[sent.start_char : sent.end_char]
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
                comma = next((k for k in range(max(ent.end, sent.start), sent.end) if words[k] == ","), None)
                if comma is None:
                    continue
                content = self._content(doc[comma + 1 : sent.end], ents)
            else:
                content = (
                    self._content(sent.doc[sent.start : after[0].i - 1], ents) if after[0].i - 1 > sent.start else None
                )
            if content is not None:
                return Found(content[0], content[1], False, How.ENT, speaker=ent, cue=sent)
        for k in range(sent.start + 1, sent.end):  # "…, kata pengamat Universitas Gadjah Mada, Rina Kusumawati."
            if lowers[k] in self.quote_verbs and words[k - 1] == ",":
                token = doc[k]
                speaker = self._speaker_after(token, sent, ents)
                content = self._content(sent.doc[sent.start : token.i - 1], ents) if speaker is not None else None
                if content is not None:
                    return Found(content[0], content[1], False, How.ENT, speaker=speaker, cue=sent)
        said = [k for k in range(sent.start, sent.end) if not tokens.is_punct[k] and not tokens.is_space[k]]
        if len(said) > 2 and lowers[said[-1]] in self.reporting_verbs:  # "…, the State Department said."
            speaker = self._speaker_before(doc[said[-1]], ents)
            mark = speaker.start - 1 if speaker is not None and speaker.start > sent.start else None
            if mark is not None and lowers[mark] == "the" and mark > sent.start:
                mark -= 1
            if mark is not None and words[mark] == ",":
                content = self._content(doc[sent.start : mark], ents)
                if content is not None:
                    return Found(content[0], content[1], False, How.ENT, speaker=speaker, cue=sent)
        for k in range(sent.start, sent.end):
            if lowers[k] not in self.reporting_verbs:
                continue
            token = doc[k]
            speaker = self._speaker_before(token, ents)
            found = Found(0, 0, False, How.ENT if speaker is not None else How.NONE, speaker=speaker, cue=sent)
            if speaker is None and token.i > sent.start:
                before = [t for t in sent.doc[sent.start : token.i] if not t.is_punct]
                if before and before[-1].lower_ in self.pronouns:
                    found.how = How.CURRENT
                elif (
                    before
                    and before[0].lower_ in self.articles
                    and all(t.lower_ in self.title_words for t in before[1:])
                    and len(before) > 1
                ):
                    found.how, found.title = How.TITLE, " ".join(t.text for t in before[1:])
                elif (
                    before
                    and before[0].lower_ in self.title_heads
                    and len(before) <= 8
                    and not any(ents.get(t.i) is not None and ents[t.i].label_ == PER for t in before)
                ):  # "PM Australia yang baru terpilih itu mengatakan …": the holder of the title
                    titles = [t.text for t in before if t.lower_ in self.title_words]
                    found.how, found.title = How.TITLE, self._head(titles)
            if found.how is How.NONE:
                continue
            content = self._content(sent.doc[token.i + 1 : sent.end], ents)
            if content is not None:
                found.start, found.end = content
                return found
        return None

    def _speaker_after(self, verb: Token, sent: Span, ents: dict[int, Span]) -> Span | None:
        """The person after a postposed speech verb, past titles and affiliations."""
        i = verb.i + 1
        tokens = tokens_of(sent.doc)
        while i < sent.end:
            ent = ents.get(i)
            if ent is not None and ent.label_ == PER:
                return ent
            if ent is not None:
                i = ent.end
            elif tokens.lower[i] in self.title_words or tokens.text[i] == ",":
                i += 1
            else:
                return None
        return None

    def _content(self, span: Span, ents: dict[int, Span]) -> tuple[int, int] | None:
        """The reported words: after "bahwa"/"that", a leading date, "kepada wartawan" and commas."""
        doc = span.doc
        dates = date_tokens(doc)
        tokens = tokens_of(doc)
        words, lowers, starts = tokens.text, tokens.lower, tokens.idx
        i, end = span.start, span.end
        for dateline in spans_of(doc, DATELINE):
            if dateline.start <= i < dateline.end:
                i = dateline.end
        addressee = ents.get(i)  # "told Biden that …": the one told is not what was said
        if (
            addressee is not None
            and addressee.start == i
            and addressee.end < end
            and lowers[addressee.end] in self.complementizers
        ):
            i = addressee.end
        text = text_of(doc)

        def words_from(k: int) -> str:  # the span's text from token k, folded (no Span joins its tokens)
            return text[starts[k] : tokens.end_char(end)].casefold()

        for j in range(i + 1, end):  # "…, according to China's Foreign Ministry": not part of the content
            if words[j - 1] == "," and words_from(j).startswith((*self.according_to, *self.channel_cues)):
                end = j - 1
                break
        while i < end:
            lead = words_from(i)
            reporters = next(
                (w for w in self.reporter_words for cue in self.to_reporters if lead.startswith(f"{cue} {w}")), None
            )
            if (
                lowers[i] in self.complementizers
                or words[i] in {",", ":"}
                or i in dates
                or (lowers[i] in self.date_preps and i + 1 in dates)
            ):
                i += 1
            elif reporters is not None:
                start = starts[i]
                i += len(
                    doc.char_span(start, start + len(reporters) + len(words[i]) + 1, alignment_mode="expand") or "_"
                )
            else:
                break
        while end > i and tokens.is_punct[end - 1] and words[end - 1] not in {")", '"', "”"}:
            end -= 1
        if end - i < 2:  # "posisi Indonesia" says something; "itu" alone does not
            return None
        return starts[i], tokens.end_char(end)
