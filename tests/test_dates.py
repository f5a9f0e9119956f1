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
