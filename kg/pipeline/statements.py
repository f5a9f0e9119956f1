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

from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from kg.pipeline.doc import (
    ARTICLE_ROLES,
    EXCLUDED,
    HEADLINE,
    TITLE_CASE,
    ents_of,
    sentences_of,
    spans_of,
    text_lines,
    text_of,
)
from kg.pipeline.intervals import Ranges
from kg.pipeline.quotes import Quotes
from kg.pipeline.reported import ReportedSpeech


@Language.factory(
    "kg_statements",
    requires=["doc.ents", "doc.spans", "doc._.kg_sentences", "doc._.kg_roles", "span._.kg_date_range"],
    assigns=["doc._.kg_statements"],
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
        "title_articles": [],
        "to_reporters": [],
        "date_preps": [],
        "affiliation_words": [],
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
    title_articles: list[str],
    to_reporters: list[str],
    date_preps: list[str],
    affiliation_words: list[str],
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
        articles=frozenset(title_articles),
        to_reporters=tuple(to_reporters),
        date_preps=frozenset(date_preps),
        affiliation_words=frozenset(affiliation_words),
    )


class Statements(Quotes, ReportedSpeech):
    """Quotes first, then reported speech in the sentences no quote starts in, then their speakers."""

    __slots__ = ()

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        bylines = [s for s in spans_of(doc, ARTICLE_ROLES) if s.label_ in {"author", "editor"}]
        skipped = [s for group in (EXCLUDED, TITLE_CASE, HEADLINE) for s in spans_of(doc, group)] + bylines
        left_out = Ranges((s.start_char, s.end_char) for s in skipped)
        lines = [
            (start, end)
            for start, end in text_lines(text)
            if not (left_out.cover(start) or left_out.start_within(start, end))
        ]
        ents = {i: ent for ent in ents_of(doc) for i in range(ent.start, ent.end)}
        found = self._quotes(doc, text, lines, ents)
        line_starts = [start for start, _ in lines]
        quoted = Ranges((f.start, f.end) for f in found if not f.inside)
        for sent in sentences_of(doc).spans:
            line = bisect_right(line_starts, sent.start_char) - 1
            if line < 0 or sent.start_char >= lines[line][1]:
                continue  # in a left-out line
            if quoted.start_within(sent.start_char, sent.end_char) or quoted.cover(sent.start_char):
                continue  # a quote starts in the sentence, or the sentence is inside one
            reported = self._reported(sent, ents)
            if reported is not None:
                reported.line = line
                found.append(reported)
        doc._.kg_statements = self._resolve(doc, sorted(found, key=lambda f: f.start), ents, lines)
        return doc
