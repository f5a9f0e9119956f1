"""Events read off the real pipeline: types, dates, places, and the statements made at them."""

from __future__ import annotations

import random
import re
from datetime import date

from conftest import DATA

from kg.article import Article
from kg.extract import extract, extract_records
from kg.records import Event, Extraction


def run(text: str, lang: str = "id", published: date | None = None) -> Extraction:
    return extract_records(Article.from_text(text, lang, published=published))


def events(extraction: Extraction) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """(type, label, start, end, place) of every event."""
    return [(e.type.value, e.label, _iso(e.start_date), _iso(e.end_date), e.location_key) for e in extraction.events]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# --- statements linked to events -------------------------------------------------------


QUOTE_THEN_EVENT = (
    '"Kami berharap perundingan bisa segera dimulai," kata Retno.\n\n'
    "Retno menggelar konferensi pers di Jakarta, Selasa (11/10/2022).\n\n"
    "Dalam konferensi pers itu, Retno mengatakan Indonesia siap membantu.\n"
)


def test_an_event_dropped_inside_a_quote_does_not_shift_the_links_of_later_events() -> None:
    extraction = run(QUOTE_THEN_EVENT)
    assert events(extraction) == [("PressConference", "konferensi pers", "2022-10-11", "2022-10-11", "Q3630")]
    linked = [(s.text, s.event) for s in extraction.statements]
    assert linked == [("Kami berharap perundingan bisa segera dimulai", None), ("Indonesia siap membantu", 0)]


def test_an_event_inside_a_quote_is_kept_when_it_has_a_date_or_a_place() -> None:
    text = (
        '"Kami akan hadir dalam KTT di Bali pada 15-16 November 2022," kata Retno.\n\n'
        '"Perundingan harus segera dimulai," kata Retno.\n'
    )
    assert events(run(text)) == [("Summit", "KTT", "2022-11-15", "2022-11-16", "Q3125978")]


OWN_TEXTS: list[tuple[str, str]] = [("id", QUOTE_THEN_EVENT)]


def test_an_event_inside_a_quote_does_not_take_the_place_of_its_attribution() -> None:
    text = '"Kami berharap KTT berjalan lancar," kata Retno di Jakarta.\n'
    assert events(run(text)) == []


# --- no article fails ------------------------------------------------------------------


def _sentences() -> list[tuple[str, str]]:
    """(language, sentence) of every text we wrote: the test articles and this file's texts."""
    texts = [
        ("en" if p.name.startswith("en_") else "id", p.read_text(encoding="utf-8"))
        for p in (DATA / "articles").glob("*.txt")
    ]
    texts += [(lang, text) for lang, text in OWN_TEXTS]
    found = []
    for lang, text in sorted(texts):
        for line in text.splitlines():
            found.extend((lang, s) for s in re.split(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])", line) if s.strip())
    return found


def test_shuffled_sentences_of_our_texts_never_fail_and_always_conform() -> None:
    by_lang: dict[str, list[str]] = {}
    for lang, sentence in _sentences():
        by_lang.setdefault(lang, []).append(sentence)
    shuffle = random.Random(20221011)
    for number in range(300):
        lang = "id" if number % 3 else "en"
        picked = shuffle.sample(by_lang[lang], k=shuffle.randint(2, 6))
        # a sentence a line, as wire copy is laid out (layout starts a sentence at each line break)
        text = "\n\n".join("\n".join(picked[i : i + 2]) for i in range(0, len(picked), 2))
        result = extract(Article.from_text(text, lang))
        assert result.report.conforms, (number, text)
        for event in result.extraction.events:
            assert isinstance(event, Event)
            assert event.start_date is None or event.end_date is None or event.start_date <= event.end_date
