"""``kg_dates``: dates in Indonesian and English news, resolved to calendar days.

Absolute forms: ``Selasa (11/10/2022)`` (day first), ``12-13 Oktober 2022`` (a range: both days),
``11 Oktober 2022``, ``October 11, 2022``, ``12 October``. Relative forms (``pada Senin``,
``kemarin``, ``pekan lalu``, ``on Tuesday``, ``yesterday``, ``last week``) are resolved against the
article's date (``doc._.kg_published``); without one they are left out, never guessed.

Each found date is a span in ``doc.spans["kg_dates"]`` with ``span._.kg_date_range`` set to
``(first_day, last_day)``. Regular expressions rather than dateparser: the forms are few and must
be exact (dateparser's search reads ``(11/10/2022)`` month-first and drops the second day of
``12-13 Oktober 2022``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc, Span

DATES = "kg_dates"
DateRange = tuple[date, date]

Doc.set_extension("kg_published", default=None, force=True)
Span.set_extension("kg_date_range", default=None, force=True)

MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "february", "feb"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "aug", "agu"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
WEEKDAYS = {
    **dict.fromkeys(("senin", "monday"), 0),
    **dict.fromkeys(("selasa", "tuesday"), 1),
    **dict.fromkeys(("rabu", "wednesday"), 2),
    **dict.fromkeys(("kamis", "thursday"), 3),
    **dict.fromkeys(("jumat", "jum'at", "friday"), 4),
    **dict.fromkeys(("sabtu", "saturday"), 5),
    **dict.fromkeys(("minggu", "ahad", "sunday"), 6),
}


def _names(words: dict[str, int]) -> str:
    """Capitalized or upper-case only: "may" is a verb and "minggu" a week, "Mei" and "Minggu" are dates."""
    forms = {form for word in words for form in (word.capitalize(), word.upper())}
    return "|".join(sorted(forms, key=len, reverse=True))


_MONTH = _names(MONTHS)
_WEEKDAY = _names(WEEKDAYS)
_DASH = r"\s*[-–—]\s*"

# Order matters: longer forms first, and a span once taken is not matched again.
_ABSOLUTE = [
    # Selasa (11/10/2022) | (11/10/2022) | 11/10/2022 — day first, as Indonesian news writes it
    re.compile(rf"(?:\b(?P<weekday>{_WEEKDAY})\s*,?\s*)?\(?\b(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}})\b\)?"),
    # 12-13 Oktober 2022 | 12 - 13 October
    re.compile(rf"\b(?P<d>\d{{1,2}}){_DASH}(?P<d2>\d{{1,2}})\s+(?P<month>{_MONTH})\b(?:\s+(?P<y>\d{{4}}))?"),
    # October 12-13, 2022
    re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<d>\d{{1,2}}){_DASH}(?P<d2>\d{{1,2}})(?:,?\s+(?P<y>\d{{4}}))?\b"),
    # (Selasa,) 11 Oktober 2022 | 11 October
    re.compile(rf"(?:\b(?P<weekday>{_WEEKDAY}),?\s+)?\b(?P<d>\d{{1,2}})\s+(?P<month>{_MONTH})\b(?:\s+(?P<y>\d{{4}}))?"),
    # (Tuesday,) October 11(, 2022)
    re.compile(
        rf"(?:\b(?P<weekday>{_WEEKDAY}),?\s+)?\b(?P<month>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
        rf"(?:,?\s+(?P<y>\d{{4}}))?\b(?!\s*[-–])"
    ),
]
_RELATIVE = [
    (re.compile(r"\b(?:kemarin|yesterday)\b", re.IGNORECASE), lambda ref, _: _day(ref - timedelta(days=1))),
    (re.compile(r"\b(?:hari ini|today)\b", re.IGNORECASE), lambda ref, _: _day(ref)),
    (re.compile(r"\b(?:besok|tomorrow)\b", re.IGNORECASE), lambda ref, _: _day(ref + timedelta(days=1))),
    (re.compile(r"\b(?:pekan lalu|minggu lalu|last week)\b", re.IGNORECASE), lambda ref, _: _last_week(ref)),
    (
        re.compile(rf"\b(?:(?i:pada\s+)?(?i:hari\s+)?|(?i:on|last)\s+)(?P<weekday>{_WEEKDAY})\b(?!\s*[(,]?\s*\d)"),
        lambda ref, m: _day(_last_weekday(ref, WEEKDAYS[m["weekday"].lower()])),
    ),
]


def find_dates(text: str, published: date | None) -> Iterator[tuple[int, int, DateRange]]:
    """(start, end, (first_day, last_day)) for every date expression in ``text`` that resolves."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, DateRange]] = []
    for pattern in _ABSOLUTE:
        for match in pattern.finditer(text):
            if _overlaps(match.span(), taken):
                continue
            resolved = _absolute(match, published)
            taken.append(match.span())
            if resolved is not None:
                found.append((*match.span(), resolved))
    if published is not None:
        for pattern, resolve in _RELATIVE:
            for match in pattern.finditer(text):
                if not _overlaps(match.span(), taken):
                    taken.append(match.span())
                    found.append((*match.span(), resolve(published, match)))
    yield from sorted(found)


def _absolute(match: re.Match[str], published: date | None) -> DateRange | None:
    groups = match.groupdict()
    year = int(groups["y"]) if groups.get("y") else (published.year if published else None)
    if year is None:
        return None  # "12 Oktober" with no article date: which year is not ours to guess
    month = int(groups["m"]) if groups.get("m") else MONTHS[groups["month"].lower()]
    try:
        first = date(year, month, int(groups["d"]))
        last = date(year, month, int(groups["d2"])) if groups.get("d2") else first
    except ValueError:
        return None  # 31/02/2022 and the like
    weekday = groups.get("weekday")
    if weekday and WEEKDAYS[weekday.lower()] != first.weekday():
        return None  # "Senin (11/10/2022)" contradicts itself: that day was a Tuesday
    return (first, last) if first <= last else None


def _day(day: date) -> DateRange:
    return day, day


def _last_weekday(reference: date, weekday: int) -> date:
    """The latest ``weekday`` on or before ``reference``: news says "Senin" for the Monday just past."""
    return reference - timedelta(days=(reference.weekday() - weekday) % 7)


def _last_week(reference: date) -> DateRange:
    monday = reference - timedelta(days=reference.weekday() + 7)
    return monday, monday + timedelta(days=6)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


@Language.factory("kg_dates")
def make_dates(nlp: Language, name: str) -> Dates:
    return Dates()


class Dates:
    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end, resolved in find_dates(doc._.kg_text, doc._.kg_published):
            span = doc.char_span(start, end, label="DATE", alignment_mode="expand")
            if span is not None:
                span._.kg_date_range = resolved
                spans.append(span)
        doc.spans[DATES] = spans
        return doc
