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


# --- events told by verbs, doorstops, ceremonies ---------------------------------------

VERB_MEETING = (
    "JAKARTA, KOMPAS.com - Menlu Retno Marsudi bertemu Menlu Tiongkok Wang Yi di Surabaya, Senin (10/10/2022)."
)
VERB_AND_NOUN = "Retno bertemu Wang Yi dalam pertemuan bilateral di Surabaya, Senin (10/10/2022)."
DOORSTOP = '"Kami siap membantu," kata Retno di Bandung, Selasa (11/10/2022).'
NOT_A_DOORSTOP = '"Kami siap membantu," kata Retno, dikutip dari Antara, Selasa (11/10/2022).'
TOLD_REPORTERS = (
    'JAKARTA (Reuters) - "We are ready to help," Blinken told reporters after the talks on Tuesday, October 11, 2022.'
)
THE_DAY_BEFORE = (
    "The envoy arrived on Tuesday, October 11, 2022.\n"
    '"We made progress," Blinken told reporters after meeting the premier the day before in Surabaya.'
)
CEREMONIES = (
    "Presiden Joko Widodo meresmikan Bendungan Sukamaju di Kabupaten Bogor, Rabu (12/10/2022).\n"
    "Sebelumnya, pelantikan pejabat digelar di Istana Negara, Senin (10/10/2022)."
)
TOLD_AGAIN = (
    "Kementerian Keuangan menggelar konferensi pers pada Kamis (13/10/2022).\n"
    "Dalam konferensi pers APBN yang digelar di Bandung, Kamis (13/10/2022), Sri Mulyani memaparkan kinerja anggaran."
)
DAY_BEFORE_ID = "Retno tiba di Jakarta, Senin (10/10/2022).\nSehari sebelumnya, ia bertemu Wang Yi di Phnom Penh."
PLANS_IN_A_QUOTE = (
    '"Besok adalah pelantikan menteri, lalu keesokan harinya pelantikan kepala badan," '
    "kata Pratikno, Minggu (9/10/2022)."
)
OFFICE_THEN_CITY = "Gubernur menerima delegasi Jepang di Kantor Gubernur Sumatera Utara, Medan, Rabu (12/10/2022)."
VISIT_OBJECT = "The minister will visit the United States starting Tuesday, October 11, 2022."
DATELINE_PRESS = "JAKARTA, KOMPAS.com - Menteri Keuangan menggelar konferensi pers, Selasa (11/10/2022)."
SIDELINES_EN = "Biden and Xi met on Monday, October 10, 2022, on the sidelines of the summit in Bali."
SIDELINES_ID = "Retno bertemu Wang Yi di sela KTT ASEAN di Phnom Penh, Senin (10/10/2022)."
RETNO, WANG_YI, BLINKEN = "Q18342668", "Q701801", "Q7821917"
SURABAYA, BANDUNG, JAKARTA, PHNOM_PENH, MEDAN, BALI, USA = (
    "Q11462",
    "Q10389",
    "Q3630",
    "Q1850",
    "Q5972",
    "Q3125978",
    "Q30",
)


def test_a_meeting_told_by_a_verb() -> None:
    extraction = run(VERB_MEETING)
    assert events(extraction) == [("Meeting", "bertemu Menlu Tiongkok Wang Yi", "2022-10-10", "2022-10-10", SURABAYA)]
    assert extraction.events[0].attendee_keys == (RETNO, WANG_YI)


def test_a_verb_and_a_noun_for_one_meeting_make_one_event() -> None:
    assert events(run(VERB_AND_NOUN)) == [("Meeting", "pertemuan bilateral", "2022-10-10", "2022-10-10", SURABAYA)]


def test_words_said_at_a_place_on_a_day_are_a_doorstop() -> None:
    extraction = run(DOORSTOP)
    assert events(extraction) == [("PressConference", "kata Retno di Bandung", "2022-10-11", "2022-10-11", BANDUNG)]
    assert [(s.speaker_key, s.event) for s in extraction.statements] == [(RETNO, 0)]
    assert events(run(NOT_A_DOORSTOP)) == []  # a source and a date say nothing of where Retno spoke


def test_told_reporters_after_an_event_is_a_doorstop_there_and_then() -> None:
    assert events(run(TOLD_REPORTERS, "en")) == [
        ("Meeting", "talks", "2022-10-11", "2022-10-11", None),
        ("PressConference", "told reporters", "2022-10-11", "2022-10-11", JAKARTA),  # the dateline's city
    ]
    # a meeting "the day before" is another day: the doorstop gets no date from it
    assert events(run(THE_DAY_BEFORE, "en")) == [("Meeting", "meeting", "2022-10-10", "2022-10-10", SURABAYA)]


def test_ceremonies() -> None:
    assert events(run(CEREMONIES)) == [
        ("Ceremony", "meresmikan Bendungan Sukamaju", "2022-10-12", "2022-10-12", "LOC:kabupaten-bogor"),
        ("Ceremony", "pelantikan", "2022-10-10", "2022-10-10", "Q6088540"),
    ]


def test_an_event_told_twice_on_the_same_day_is_one_event() -> None:
    extraction = run(TOLD_AGAIN)
    assert events(extraction) == [("PressConference", "konferensi pers", "2022-10-13", "2022-10-13", BANDUNG)]
    assert [s.event for s in extraction.statements] == [0]


VENUE_TOLD_TWICE = (
    "Partai Karya Bangsa menggelar rapat kerja nasional di Hotel Kencana, Jakarta, Rabu (12/10/2022).\n\n"
    "Ketua umum partai berpidato dalam rapat kerja nasional di Hotel Kencana, Jakarta Selatan, Jakarta, "
    "Rabu (12/10/2022).\n"
)
TWO_VENUES_ONE_CITY = (
    "Partai Karya Bangsa menggelar rapat kerja nasional di Hotel Kencana, Jakarta, Rabu (12/10/2022).\n\n"
    "Pada hari yang sama, Partai Surya Baru menggelar rapat kerja nasional di Hotel Melati, Jakarta, "
    "Rabu (12/10/2022).\n"
)


def test_one_venue_told_with_more_or_fewer_of_its_places_is_one_event() -> None:
    """The second telling adds the district ("Jakarta Selatan") before the city: still the same venue."""
    assert events(run(VENUE_TOLD_TWICE)) == [("Meeting", "rapat kerja", "2022-10-12", "2022-10-12", JAKARTA)]


def test_two_venues_in_one_city_on_one_day_are_two_events() -> None:
    assert events(run(TWO_VENUES_ONE_CITY)) == [
        ("Meeting", "rapat kerja", "2022-10-12", "2022-10-12", JAKARTA),
        ("Meeting", "rapat kerja", "2022-10-12", "2022-10-12", JAKARTA),
    ]


def test_relative_dates_count_from_the_days_the_text_prints() -> None:
    assert events(run(DAY_BEFORE_ID)) == [("Meeting", "bertemu Wang Yi", "2022-10-09", "2022-10-09", PHNOM_PENH)]
    # "besok" in a quote counts from the day it was said; "keesokan harinya" from "besok"
    assert events(run(PLANS_IN_A_QUOTE)) == [
        ("Ceremony", "pelantikan menteri", "2022-10-10", "2022-10-10", None),
        ("Ceremony", "pelantikan", "2022-10-11", "2022-10-11", None),
    ]


def test_the_place_is_the_venue_or_its_city() -> None:
    assert events(run(OFFICE_THEN_CITY)) == [("Meeting", "menerima delegasi Jepang", "2022-10-12", "2022-10-12", MEDAN)]
    assert events(run(VISIT_OBJECT, "en")) == [("Visit", "visit the United States", "2022-10-11", "2022-10-11", USA)]
    assert events(run(DATELINE_PRESS)) == [("PressConference", "konferensi pers", "2022-10-11", "2022-10-11", JAKARTA)]


def test_an_event_on_the_sidelines_of_another_is_held_there() -> None:
    assert events(run(SIDELINES_EN, "en")) == [
        ("Meeting", "met", "2022-10-10", "2022-10-10", BALI),
        ("Summit", "summit", None, None, BALI),
    ]
    assert events(run(SIDELINES_ID)) == [
        ("Meeting", "bertemu Wang Yi", "2022-10-10", "2022-10-10", PHNOM_PENH),
        ("Summit", "KTT ASEAN", "2022-10-10", "2022-10-10", PHNOM_PENH),
    ]


ANAPHOR_DATES_IT = (
    "Presiden akan mengumpulkan para menteri dalam retret di Bandung.\nRetret itu berlangsung 14-16 November 2022."
)
TONIGHT = (
    "Menteri tiba di Surabaya, Selasa (11/10/2022).\n"
    "Malam ini, gubernur menggelar jamuan makan malam untuk para investor."
)


def test_an_event_named_again_takes_the_date_its_anaphor_gives() -> None:
    assert events(run(ANAPHOR_DATES_IT)) == [("Meeting", "retret", "2022-11-14", "2022-11-16", BANDUNG)]


def test_tonight_is_the_day_the_text_told_last() -> None:
    assert events(run(TONIGHT)) == [("Ceremony", "jamuan makan malam", "2022-10-11", "2022-10-11", None)]


OWN_TEXTS: list[tuple[str, str]] = [
    ("id", ANAPHOR_DATES_IT),
    ("id", TONIGHT),
    ("id", QUOTE_THEN_EVENT),
    *(("id", t) for t in (VERB_MEETING, VERB_AND_NOUN, DOORSTOP, NOT_A_DOORSTOP, CEREMONIES, TOLD_AGAIN)),
    *(("id", t) for t in (DAY_BEFORE_ID, PLANS_IN_A_QUOTE, OFFICE_THEN_CITY, DATELINE_PRESS, SIDELINES_ID)),
    *(("en", t) for t in (TOLD_REPORTERS, THE_DAY_BEFORE, VISIT_OBJECT, SIDELINES_EN)),
]


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
    found: list[tuple[str, str]] = []
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
