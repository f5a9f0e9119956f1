from __future__ import annotations

from datetime import date

import pytest

from kg.pipeline.dates import find_dates

TUESDAY = date(2022, 10, 11)


def found(text: str, published: date | None = TUESDAY) -> list[tuple[str, str, str]]:
    return [(text[s:e], a.isoformat(), b.isoformat()) for s, e, (a, b) in find_dates(text, published)]


def test_indonesian_absolute_dates_are_day_first() -> None:
    text = "Rapat pada 12-13 Oktober 2022 di Brussel, Selasa (11/10/2022), dan Senin (3/10/2022)."
    assert found(text, None) == [
        ("12-13 Oktober 2022", "2022-10-12", "2022-10-13"),
        ("Selasa (11/10/2022)", "2022-10-11", "2022-10-11"),
        ("Senin (3/10/2022)", "2022-10-03", "2022-10-03"),
    ]


def test_english_absolute_dates() -> None:
    text = "on Tuesday, October 11, 2022, and again October 12-13, 2022, after 5 May 2021"
    assert found(text, None) == [
        ("Tuesday, October 11, 2022", "2022-10-11", "2022-10-11"),
        ("October 12-13, 2022", "2022-10-12", "2022-10-13"),
        ("5 May 2021", "2021-05-05", "2021-05-05"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dia tiba kemarin.", ("kemarin", "2022-10-10", "2022-10-10")),
        ("Pertemuan pada Senin berjalan lancar.", ("pada Senin", "2022-10-10", "2022-10-10")),
        ("Rapat digelar pekan lalu.", ("pekan lalu", "2022-10-03", "2022-10-09")),
        ("She spoke on Tuesday.", ("on Tuesday", "2022-10-11", "2022-10-11")),
        ("He left on Friday.", ("on Friday", "2022-10-07", "2022-10-07")),
        ("They met yesterday.", ("yesterday", "2022-10-10", "2022-10-10")),
        ("Jamuan digelar malam ini.", ("malam ini", "2022-10-11", "2022-10-11")),
        ("Upacara digelar 17 Agustus.", ("17 Agustus", "2022-08-17", "2022-08-17")),
    ],
)
def test_relative_dates_count_from_the_article_date(text: str, expected: tuple[str, str, str]) -> None:
    assert found(text) == [expected]


def test_what_cannot_be_resolved_is_left_out() -> None:
    assert found("Dia tiba kemarin pada Senin, 12 Oktober.", None) == []  # no article date
    assert found("Senin (11/10/2022) dan 31/02/2022", None) == []  # 11 Oct was a Tuesday; no 31 Feb


def test_lower_case_words_are_not_dates() -> None:
    assert found("up to 5 may attend; minggu ini sibuk") == []


def test_without_an_article_date_the_text_gives_the_year_and_the_reference_day() -> None:
    text = (
        "JAKARTA - Menteri itu tiba di Surabaya, Kamis (6/10/2022). Rapat digelar Selasa (4/10). "
        "Sehari sebelumnya ia bertemu gubernur. Pada Senin ia berada di Bandung. Rapat lanjutan 17 Oktober."
    )
    assert found(text, None) == [
        ("Kamis (6/10/2022)", "2022-10-06", "2022-10-06"),
        ("Selasa (4/10)", "2022-10-04", "2022-10-04"),
        ("Sehari sebelumnya", "2022-10-03", "2022-10-03"),
        ("Pada Senin", "2022-10-03", "2022-10-03"),
        ("17 Oktober", "2022-10-17", "2022-10-17"),
    ]


def test_english_text_dates_anchor_weekdays_and_the_day_before() -> None:
    text = (
        "The envoy arrived on Oct. 11, 2022. He had met the premier the day before, "
        "and on Wednesday (Oct 12) he spoke at a forum. Ministers met last night."
    )
    assert found(text, None) == [
        ("Oct. 11, 2022", "2022-10-11", "2022-10-11"),
        ("the day before", "2022-10-10", "2022-10-10"),
        ("Wednesday (Oct 12)", "2022-10-12", "2022-10-12"),
        ("last night", "2022-10-11", "2022-10-11"),  # the night before the day just told,
    ]


def test_a_weekday_is_resolved_only_against_a_day_the_text_printed_before_it() -> None:
    assert found("Pada Senin ia tiba. Rapat digelar Kamis (6/10/2022).", None) == [
        ("Kamis (6/10/2022)", "2022-10-06", "2022-10-06")
    ]
    assert found("Selasa (4/10) ia tiba.", None) == []  # no year anywhere in the text
    assert found("Rapat Kamis (6/10/2022). Kedua pihak bertemu lagi Sabtu depan, kata dia.", None) == [
        ("Kamis (6/10/2022)", "2022-10-06", "2022-10-06")
    ]
    assert found("Ia tiba Selasa siang (4/10/2022) dan pulang Rabu (5/10).", None) == [
        ("Selasa siang (4/10/2022)", "2022-10-04", "2022-10-04"),
        ("Rabu (5/10)", "2022-10-05", "2022-10-05"),
    ]
    assert found("Rapat pada Senin (5/10) di Jakarta, 2022.", None) == []  # 5 Oct 2022 was a Wednesday


def test_every_month_form_the_lexicon_knows_is_read_as_a_date() -> None:
    # "Agt" is how some Indonesian outlets shorten Agustus; the calendar is one table in kg/lexicon.py
    assert found("Rapat digelar 17 Agt 2023 dan dilanjutkan 3 Sept 2023.", None) == [
        ("17 Agt 2023", "2023-08-17", "2023-08-17"),
        ("3 Sept 2023", "2023-09-03", "2023-09-03"),
    ]


def test_every_relative_form_is_found_in_any_case() -> None:
    """The relative words' regex branches on the forms' first letters: none may be left out of it."""
    from kg.pipeline.dates import _RELATIVE_FORMS, _RELATIVE_WORDS, relative_group

    for group, forms in _RELATIVE_FORMS.items():
        for form in forms:
            written = form.replace(r"\s+", " ")
            for text in (written, written.upper(), written.title()):
                match = _RELATIVE_WORDS.search(f"({text})")
                assert match is not None and (match.group(), relative_group(match)) == (text, group)
    # case-blind as Unicode is: the Kelvin sign is a "k", the long s an "s"
    assert _RELATIVE_WORDS.fullmatch("\u212aemarin") and _RELATIVE_WORDS.fullmatch("\u017femalam")


def test_a_relative_form_that_begins_another_is_refused() -> None:
    """With one form the start of another, the branches' order would decide which is found."""
    from kg.pipeline.dates import _by_first_letter

    with pytest.raises(ValueError, match="the relative date form 'hari' begins another"):
        _by_first_letter({"today": ("hari ini",), "day": ("hari",)})
