"""``kg_dates``: dates in Indonesian and English news, resolved to calendar days.

Absolute forms: ``Selasa (11/10/2022)`` (day first), ``12-13 Oktober 2022`` (a range: both days),
``11 Oktober 2022``, ``October 11, 2022``, ``12 October``. Relative forms (``pada Senin``,
``kemarin``, ``pekan lalu``, ``on Tuesday``, ``yesterday``, ``last week``) are resolved against the
article's date (``doc._.kg_published``); without one, against the last day the text printed before
them (a dated dateline, a dated earlier sentence), and with neither they are left out, never
guessed. ``sehari sebelumnya``/``the day before`` always count from the day just told, ``besok`` in
a quote from the day of its attribution (``…," kata Budi, Jumat (7/3)``); a day and month
without a year (``Selasa (5/9)``) take the year of the nearest full date in the text.

Each found date is a span in ``doc.spans["kg_dates"]`` with ``span._.kg_date_range`` set to
``(first_day, last_day)``. Regular expressions rather than dateparser: the forms are few and must
be exact (dateparser's search reads ``(11/10/2022)`` month-first and drops the second day of
``12-13 Oktober 2022``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from kg.lexicon import MONTHS, WEEKDAYS
from kg.pipeline.doc import DATES, set_spans, text_of
from kg.pipeline.intervals import Ranges, Taken

DateRange = tuple[date, date]


def _names(words: dict[str, int]) -> str:
    """Capitalized or upper-case only: "may" is a verb and "minggu" a week, "Mei" and "Minggu" are dates."""
    forms = {form for word in words for form in (word.capitalize(), word.upper())}
    return "|".join(sorted(forms, key=len, reverse=True))


_MONTH = _names(MONTHS)
_WEEKDAY = _names(WEEKDAYS)
_DASH = r"\s*[-–—]\s*"

# Parts of the day between a weekday and its date: "Rabu siang (6/3/2024)", "Kamis (7/3/2024) petang".
_DAYPART = r"(?:pagi|siang|sore|malam|petang|morning|afternoon|evening|night)"

# Order matters: longer forms first, and a span once taken is not matched again. Each form starts
# with what it cannot do without (a digit, a month, a weekday) and no "\b": that lets the regex engine
# skip ahead to the places it can match, several times faster. A weekday before the date is looked
# for behind it (_WEEKDAY_BEFORE), and a match glued to a preceding letter or digit is dropped.
_ABSOLUTE: list[tuple[re.Pattern[str], re.Pattern[str] | None]] = [
    # Selasa (11/10/2022) | (11/10/2022) | 11/10/2022 — day first, as Indonesian news writes it
    (
        re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b\)?"),
        re.compile(
            rf"(?:(?<!\w)(?P<weekday>{_WEEKDAY})\s*,?\s*(?:{_DAYPART}\s*)?)?\($|(?<!\w)(?P<wd>{_WEEKDAY})\s*,?\s*$"
        ),
    ),
    # Selasa (5/9) — the year is the one the article states elsewhere; the weekday must agree with it
    (re.compile(rf"(?P<weekday>{_WEEKDAY})\s*,?\s*(?:{_DAYPART}\s*)?\((?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})\)"), None),
    # Wednesday (Sept 13)
    (re.compile(rf"(?P<weekday>{_WEEKDAY})\s*,?\s*\((?P<month>{_MONTH})\.?\s+(?P<d>\d{{1,2}})\)"), None),
    # 12-13 Oktober 2022 | 12 - 13 October
    (re.compile(rf"(?P<d>\d{{1,2}}){_DASH}(?P<d2>\d{{1,2}})\s+(?P<month>{_MONTH})\b(?:\s+(?P<y>\d{{4}}))?"), None),
    # October 12-13, 2022
    (re.compile(rf"(?P<month>{_MONTH})\.?\s+(?P<d>\d{{1,2}}){_DASH}(?P<d2>\d{{1,2}})(?:,?\s+(?P<y>\d{{4}}))?\b"), None),
    # (Selasa,) 11 Oktober 2022 | 11 October
    (
        re.compile(rf"(?P<d>\d{{1,2}})\s+(?P<month>{_MONTH})\b(?:\s+(?P<y>\d{{4}}))?"),
        re.compile(rf"(?<!\w)(?P<weekday>{_WEEKDAY}),?\s+$"),
    ),
    # (Tuesday,) October 11(, 2022) | Oct. 23, 2024
    (
        re.compile(rf"(?P<month>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?\b(?!\s*[-–])"),
        re.compile(rf"(?<!\w)(?P<weekday>{_WEEKDAY}),?\s+$"),
    ),
]
# A weekday that is not the start of a full date, nor a coming day ("Sabtu depan", "next Monday"), and
# what may stand before it ("pada (hari)", "on", "last").
_BARE_WEEKDAY = re.compile(
    rf"(?P<weekday>{_WEEKDAY})\b(?!\s*(?:{_DAYPART}\s*)?[(,]?\s*\d)(?!\s+(?:depan|mendatang|ini|nanti)\b)"
)
_WEEKDAY_LEAD = re.compile(r"(?<!\w)(?:(?i:pada)\s+(?:(?i:hari)\s+)?|(?i:hari)\s+|(?i:on|last)\s+)$")
_COMING = ("next ", "Next ", "this ", "This ")
# The day before or after the day just told: never the day of what it is said next to.
SHIFTED = re.compile(
    r"(?:sehari sebelumnya|(?:pada\s+)?hari sebelumnya|the day before|the previous day|keesokan harinya"
    r"|sehari kemudian|the next day|the following day)",
    re.IGNORECASE,
)
# Relative words, one pattern for all (one scan of the text): group name -> its forms, each a regular
# expression that starts with a letter. The group's resolver (below) says whether the reference is
# the day the text printed last rather than the article's date: "sehari sebelumnya" counts from the
# day just told.
_RELATIVE_FORMS: dict[str, tuple[str, ...]] = {
    "before": (
        r"sehari sebelumnya",
        r"pada\s+hari sebelumnya",
        r"hari sebelumnya",
        r"the day before",
        r"the previous day",
    ),
    "after": (r"keesokan harinya", r"sehari kemudian", r"the next day", r"the following day"),
    "yesterday": (r"kemarin", r"yesterday", r"tadi malam", r"semalam", r"last night"),
    "today": (
        r"hari ini",
        r"malam ini",
        r"pagi ini",
        r"siang ini",
        r"sore ini",
        r"today",
        r"tonight",
        r"this morning",
        r"this afternoon",
        r"this evening",
    ),
    "tomorrow": (r"besok", r"tomorrow"),
    "last_week": (r"pekan lalu", r"minggu lalu", r"last week"),
}


def _by_first_letter(forms: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """Every form in one case-blind pattern, branching on their first letter: case-blind, the regex
    engine enters every branch to fail it, and thirty forms tried in turn at each letter of the text
    were most of the time dates took. No form begins another, so at most one matches at a place and
    the order of the branches is free; which group's form it is, :func:`relative_group` says."""
    branches: dict[str, list[str]] = {}
    for group_forms in forms.values():
        for form in group_forms:
            if any(other != form and other.startswith(form) for more in forms.values() for other in more):
                raise ValueError(f"the relative date form {form!r} begins another")
            branches.setdefault(form[0].lower(), []).append(form[1:])
    return re.compile(
        f"(?=[{''.join(sorted(branches))}])(?:"
        + "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in sorted(branches.items()))
        + r")\b",
        re.IGNORECASE,
    )


_RELATIVE_WORDS = _by_first_letter(_RELATIVE_FORMS)
_RELATIVE_GROUPS = re.compile(
    "|".join(f"(?P<{group}>{'|'.join(forms)})\\b" for group, forms in _RELATIVE_FORMS.items()), re.IGNORECASE
)


def relative_group(match: re.Match[str]) -> str:
    """The group of ``_RELATIVE_FORMS`` a ``_RELATIVE_WORDS`` match is a form of: read where it starts,
    with a group for each (groups in the pattern that searches the text made it slower)."""
    named = _RELATIVE_GROUPS.match(match.string, match.start())
    return named.lastgroup or "" if named else ""


_RESOLVE: dict[str, tuple[Callable[[date, re.Match[str]], DateRange], bool]] = {
    "before": (lambda ref, _: _day(ref - timedelta(days=1)), True),
    "after": (lambda ref, _: _day(ref + timedelta(days=1)), True),
    "yesterday": (lambda ref, _: _day(ref - timedelta(days=1)), False),
    "today": (lambda ref, _: _day(ref), False),
    "tomorrow": (lambda ref, _: _day(ref + timedelta(days=1)), False),
    "last_week": (lambda ref, _: _last_week(ref), False),
    "weekday": (lambda ref, m: _day(_last_weekday(ref, WEEKDAYS[m["weekday"].lower()])), False),
}


def _glued(text: str, start: int) -> bool:
    """A match that continues a word or number ("x12 Mei", "Nov2") is not a date."""
    return start > 0 and text[start - 1].isalnum()


_QUOTED = re.compile(r"[\"“][^\"“”\n]*[\"”]")


def find_dates(text: str, published: date | None) -> Iterator[tuple[int, int, DateRange]]:
    """(start, end, (first_day, last_day)) for every date expression in ``text`` that resolves.

    Without the article's date, the text's own dates stand in for it: a day and month without a year
    take the year of the nearest full date the text prints (before it, else after it), and a relative
    date counts from the last single day the text printed before it. With none, nothing is guessed.
    """
    taken = Taken()
    matches: list[tuple[int, int, dict[str, Any]]] = []
    for pattern, weekday_before in _ABSOLUTE:
        for match in pattern.finditer(text):
            start, end = match.span()
            if _glued(text, start):
                continue
            groups = match.groupdict()
            if weekday_before is not None:
                lead = weekday_before.search(text, max(0, start - 24), start)
                if lead is not None:
                    start, groups = lead.start(), {**groups, "weekday": lead["weekday"] or lead.groupdict().get("wd")}
            if taken.take(start, end):
                matches.append((start, end, groups))
    years = sorted((start, int(groups["y"])) for start, _, groups in matches if groups.get("y"))
    found: list[tuple[int, int, DateRange]] = []
    for start, end, groups in matches:
        resolved = _absolute(groups, published.year if published else _year_near(years, start))
        if resolved is not None:
            found.append((start, end, resolved))
    days = sorted((start, first) for start, _, (first, last) in found if first == last)
    # (start, end, match, resolver, counts from the day last told)
    relative: list[tuple[int, int, re.Match[str], Callable[[date, re.Match[str]], DateRange], bool]] = []
    for match in _RELATIVE_WORDS.finditer(text):
        if not _glued(text, match.start()) and taken.take(*match.span()):
            relative.append((*match.span(), match, *_RESOLVE[relative_group(match)]))
    resolve_weekday, _ = _RESOLVE["weekday"]
    for match in _BARE_WEEKDAY.finditer(text):
        start = match.start()
        if _glued(text, start) or text[max(0, start - 5) : start].endswith(_COMING):
            continue
        lead = _WEEKDAY_LEAD.search(text, max(0, start - 12), start)
        span = (lead.start() if lead is not None else start, match.end())
        if taken.take(*span):
            relative.append((*span, match, resolve_weekday, False))
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    inside_quotes = Ranges((start + 1, end) for start, end in quotes)
    ends = {end for _, end, _ in found}
    for start, end, match, resolve, from_text in sorted(relative, key=lambda r: r[0]):
        if any(start - gap in ends and not text[start - gap : start].strip() for gap in (1, 2)):
            continue  # "Rabu (23/10) besok" says the date again
        quoted = inside_quotes.cover(start)  # q_start < start < q_end
        if quoted and match.groupdict().get("weekday"):
            continue  # "hari Rabu" in someone's words may be the coming one or the last
        said_on = None if from_text or not quoted else _said_on(quotes, days, start, text)
        if said_on is not None:  # "besok …," kata Budi, Jumat (7/3): counts from the day it was said
            reference: date | None = said_on
        elif published is not None and not from_text:
            reference = published
        else:
            reference = _day_before(days, start)
        if reference is not None:
            resolved = resolve(reference, match)
            found.append((start, end, resolved))
            if resolved[0] == resolved[1]:  # "besok …, keesokan harinya": the next counts from this one
                bisect.insort(days, (start, resolved[0]))
    yield from sorted(found)


def _said_on(quotes: list[tuple[int, int]], days: list[tuple[int, date]], at: int, text: str) -> date | None:
    """The day printed in the attribution right after the quote holding ``at``, if any (``quotes``
    and ``days`` are in text order and the quotes do not overlap, so both are found by bisection)."""
    i = bisect.bisect_left(quotes, (at, at)) - 1  # the last quote starting before ``at``
    if i < 0 or not quotes[i][0] < at < quotes[i][1]:
        return None
    quote = quotes[i]
    line_end = text.find("\n", quote[1])
    line_end = len(text) if line_end < 0 else line_end
    k = bisect.bisect_left(days, quote[1], key=lambda d: d[0])
    return days[k][1] if k < len(days) and days[k][0] < min(line_end, quote[1] + 120) else None


def _year_near(years: list[tuple[int, int]], at: int) -> int | None:
    """The year of the nearest full date before ``at``, else the first after it."""
    i = bisect.bisect_left(years, at, key=lambda y: y[0])  # ``years`` is in text order
    if i:
        return years[i - 1][1]
    return years[0][1] if years else None


def _day_before(days: list[tuple[int, date]], at: int) -> date | None:
    """The last single day the text printed before ``at``."""
    i = bisect.bisect_left(days, at, key=lambda d: d[0])  # ``days`` is in text order
    return days[i - 1][1] if i else None


def _absolute(groups: dict[str, Any], year: int | None) -> DateRange | None:
    year = int(groups["y"]) if groups.get("y") else year
    if year is None:
        return None  # "12 Oktober" with no year in the text: which year is not ours to guess
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


@Language.factory("kg_dates", assigns=["doc.spans", "span._.kg_date_range"])
def make_dates(nlp: Language, name: str) -> Dates:
    return Dates()


class Dates:
    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end, resolved in find_dates(text_of(doc), doc._.kg_published):
            span = doc.char_span(start, end, label="DATE", alignment_mode="expand")
            if span is not None:
                span._.kg_date_range = resolved
                spans.append(span)
        set_spans(doc, DATES, spans)
        doc.user_data.pop("kg_date_tokens", None)  # gathered from the spans set here (pipeline.doc.date_tokens)
        return doc
