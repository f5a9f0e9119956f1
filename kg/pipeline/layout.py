"""``kg_layout``: the parts of a news page that are not the story.

Marks lines that link to other articles (``Baca juga:``, ``Read also:``) and footers as
excluded, finds the dateline (``TRIBUNNEWS.COM -``, ``WASHINGTON (Reuters) -``) and the byline
(``(Tribunnews.com/Andari Wulan Nugrahani)``, ``Penulis: …``), the kicker and the headline,
and starts a sentence at every line break, which blank pipelines would not do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import cast

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from thinc.types import Ints2d

from kg.pipeline.doc import (
    ARTICLE_ROLES,
    DATELINE,
    EXCLUDED,
    HEADLINE,
    TITLE_CASE,
    Sentences,
    set_spans,
    text_lines,
    text_of,
)

_DOMAIN = r"[A-Za-z][\w-]*(?:\.[A-Za-z]{2,})+"
_PLACE = r"[A-Z][A-Za-z.'-]*(?:\s[A-Z][A-Za-z.'-]*){0,3}"
_DATELINE = [
    # TEMPO.CO, Jakarta - … | Liputan6.com, Tokyo - … | PROKALTENG.CO-Ketua …: the outlet's domain comes first
    re.compile(rf"^(?P<publisher>{_DOMAIN})(?:,\s+(?P<location>{_PLACE}))?\s*[-–—]+\s*(?=[A-Z\"“])"),
    # TRIBUNNEWS.COM - … | JAKARTA, KOMPAS.com - … | Jakarta, MCI News - …
    re.compile(
        r"^(?:(?P<location>[A-Z][A-Za-z .'-]{1,40}?),\s+)?"
        rf"(?P<publisher>{_DOMAIN}|[A-Z][A-Z0-9]{{2,}}(?:\s[A-Z][A-Za-z0-9]+)?|[A-Z][a-z]+\s[A-Z][a-z]+)\s+[-–—]+\s+"
    ),
    # WASHINGTON (Reuters) - … | NUSA DUA, Indonesia (AP) - …
    re.compile(
        r"^(?P<location>[A-Z][A-Z .'-]{1,40}?)(?:,\s+[A-Z][\w .'-]{1,40}?)?\s+"
        r"\((?P<publisher>[A-Z][^()\n]{1,40})\)\s+[-–—]+\s+"
    ),
    # Reuters | Washington DC (a line of its own)
    re.compile(rf"^(?P<publisher>[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)\s+\|\s+(?P<location>{_PLACE})\s*$"),
    # Jakarta, NU Online (a line of its own: place, then an outlet's domain or a name ending in an outlet word)
    re.compile(rf"^(?P<location>{_PLACE}),\s+(?P<publisher>{_DOMAIN}|[A-Z][\w.]*\s(?P<outlet>[A-Z][\w.]*))\s*$"),
    # PUTRAJAYA: Prime Minister … | Jakarta: Presiden …  (the place alone, then the story)
    re.compile(rf"^(?P<location>{_PLACE}):\s+(?=[A-Z\"“][^\n]{{40}})"),
]
# "(Tribunnews.com/Andari Wulan Nugrahani)"
_BYLINE_BRACKETED = re.compile(r"^\((?P<publisher>[^/()\n]+)/(?P<author>[^()\n]+)\)\s*$")
# "Penulis: Dian Maharani | Editor: …", "Reporting by …; Editing by …", "By …"
# "(The Jakarta Post)" after the names, "Name • 3 March 2024 09:15", "(Rina Kartika)" closing the story
_BYLINE_NAMES_OUTLET = re.compile(r"^(?P<names>[A-Z][^()\n]{2,80}?)\s+\((?P<publisher>[A-Z][^()\n/]{1,40})\)\s*$")
_BYLINE_DATED = re.compile(r"^(?P<names>[A-Z][^•|\n]{2,60}?)\s+[•|]\s+\d")
_BYLINE_NAME_ONLY = re.compile(r"^\((?P<names>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3})\)\s*$")
# "… he said. – Bernama": the agency closing the last paragraph
_AGENCY_SIGNOFF = re.compile(r"[.!?\"”’]\s+[-–—―]\s*(?P<publisher>[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)\s*$")
# photo credits in captions: "(Foto: NU Online/Suwitno)", "(Antara /Galih Pradipta)", "ANTARA/Rangga Pandu." at a
# line's end, "Photograph: Lukas Coch/EPA", "(EPA Photo)"
_CREDIT_BRACKETED = re.compile(
    r"\((?:(?:Foto|Photo|Photograph|Dok|Credit)\s*:\s*)?(?P<a>[A-Z][^()/\n]{1,40}?)\s?/\s?(?P<b>[A-Z][^()/\n]{1,40}?)\)"
)
_CREDIT_LINE_END = re.compile(
    r"(?<![\w/.])(?P<a>[A-Z][A-Z0-9]{2,}(?:\.[A-Za-z]{2,})*|[A-Z][a-z0-9]+(?:\.[A-Za-z]{2,})+)"
    r"/(?P<b>[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*){0,4})\.?[ \t]*$",
    re.MULTILINE,
)
_CREDIT_PHOTOGRAPH = re.compile(
    r"(?:Photograph|Photo|Foto)\s*:\s+(?P<a>[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*){0,3})/(?P<b>[A-Z][\w.]+)"
)
_CREDIT_AGENCY_PHOTO = re.compile(r"\((?P<a>[A-Z]{2,10})\s+(?:Photo|Foto)\)")
_PHOTO_WORDS = re.compile(r"\b(?:Photo|Foto|via|Pool)\b")
_NAME_SPLIT = re.compile(r"\s*(?:/|,|\s+dan\s+|\s+and\s+|&)\s*")
_NAME = re.compile(r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}$")
MAX_HEADLINE_WORDS = 25
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@Language.factory(
    "kg_layout",
    requires=["token.is_sent_start"],
    assigns=["token.is_sent_start", "doc.spans", "doc._.kg_headline", "doc._.kg_section", "doc._.kg_sentences"],
    default_config={
        "excluded_line_starts": [],
        "outlet_words": [],
        "byline_cues": [],
        "editor_cues": [],
        "byline_window": 5,
        "dateline_window": 8,
        "title_case_ratio": 0.7,
    },
)
def make_layout(
    nlp: Language,
    name: str,
    excluded_line_starts: list[str],
    outlet_words: list[str],
    byline_cues: list[str],
    editor_cues: list[str],
    byline_window: int,
    dateline_window: int,
    title_case_ratio: float,
) -> Layout:
    return Layout(
        excluded_line_starts, outlet_words, byline_cues, editor_cues, byline_window, dateline_window, title_case_ratio
    )


class Layout:
    def __init__(
        self,
        excluded_line_starts: list[str],
        outlet_words: list[str],
        byline_cues: list[str],
        editor_cues: list[str],
        byline_window: int,
        dateline_window: int,
        title_case_ratio: float,
    ) -> None:
        self.excluded_starts = tuple(s.casefold() for s in excluded_line_starts)
        self.outlet_words = frozenset(w.casefold() for w in outlet_words)
        # "Reporter: Name | Editor: Name": each cue as written, the longest tried first
        cues = "|".join(re.escape(c) for c in sorted({*byline_cues, *editor_cues}, key=len, reverse=True))
        self.byline_part = re.compile(rf"(?P<cue>{cues})\s*:?\s+(?P<names>[A-Z][^|;\n]{{1,80}}?)\s*(?=$|[|;])")
        self.editor_cues = frozenset(c.casefold() for c in editor_cues)
        self.byline_window = byline_window
        self.dateline_window = dateline_window
        self.title_case_ratio = title_case_ratio

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        lines = list(text_lines(text))
        roles: list[Span | None] = []
        bylines = set()
        # bylines close the story or stand under the headline ("Editor: …", "Name • 3 March 2024")
        window = dict.fromkeys(lines[-self.byline_window :] + lines[1 : self.dateline_window])
        for start, end in window:
            found = self._byline(doc, start, text[start:end])
            if found:
                roles.extend(found)
                bylines.add(start)
        set_spans(doc, DATELINE, [])
        for start, end in lines[: self.dateline_window]:
            if start in bylines or text[start:end].lstrip().casefold().startswith(self.excluded_starts):
                continue
            found = self._dateline(doc, start, text[start:end], first=start == lines[0][0])
            if found:
                roles.extend(found[:-1])
                set_spans(doc, DATELINE, [found[-1]])
                break
        if lines:
            start, end = lines[-1]
            signoff = _AGENCY_SIGNOFF.search(text, start, end)
            if signoff:
                roles.append(_role(doc, signoff.start("publisher"), signoff["publisher"], "publisher"))
        roles.extend(_credits(doc, text, bylines))
        found_roles = [span for span in roles if span is not None]
        excluded = [
            (start, end)
            for start, end in lines
            if start not in bylines and text[start:end].lstrip().casefold().startswith(self.excluded_starts)
        ]
        set_spans(doc, EXCLUDED, _line_spans(doc, excluded))
        set_spans(doc, ARTICLE_ROLES, found_roles)
        set_spans(doc, TITLE_CASE, _line_spans(doc, [(s, e) for s, e in lines if self._is_title_case(text[s:e])]))
        self._headline(doc, text, lines, {start for start, _ in excluded} | bylines)
        _break_sentences(doc, text)
        doc._.kg_sentences = Sentences.of(doc)  # boundaries are final from here on
        return doc

    def _is_title_case(self, line: str) -> bool:
        if line.rstrip().endswith((".", '"', "”")):  # a sentence, however many names it holds
            return False
        words = _WORD.findall(line)
        capitalized = sum(1 for word in words if word[0].isupper())
        return len(words) >= 4 and capitalized / len(words) >= self.title_case_ratio

    def _dateline(self, doc: Doc, offset: int, line: str, first: bool) -> list[Span]:
        """The dateline's place and publisher as roles, then the whole dateline prefix."""
        for pattern in _DATELINE:
            match = pattern.match(line)
            if not match or not self._plausible_dateline(match, line, first):
                continue
            groups = match.groupdict()
            found = [
                _role(doc, offset + match.start(group), groups[group], group)
                for group in ("location", "publisher")
                if groups.get(group)
            ]
            prefix = doc.char_span(offset, offset + match.end(), alignment_mode="contract")
            spans = [span for span in found if span is not None]
            return [*spans, prefix] if spans and prefix is not None else []
        return []

    def _plausible_dateline(self, match: re.Match[str], line: str, first: bool) -> bool:
        groups = match.groupdict()
        publisher, location = groups.get("publisher"), groups.get("location")
        if groups.get("outlet") is not None and groups["outlet"].casefold() not in self.outlet_words:
            return False  # "Bogor, Jawa Barat" alone on a line is a place, not a place and an outlet
        if publisher and " " in publisher and not location and "|" not in line:
            return False  # "MCI News -" needs its place before it to read as a dateline
        if publisher is None and location is not None:
            # "PUTRAJAYA: …" or "Jakarta: …" opening a paragraph; a headline "Jokowi: …" quotes a person
            return not first and (location.isupper() or (" " not in location and len(line) > 100))
        return True

    def _byline(self, doc: Doc, offset: int, line: str) -> list[Span]:
        lead = offset + len(line) - len(line.lstrip())
        line = line.strip()
        bracketed = _BYLINE_BRACKETED.match(line)
        if bracketed:
            parts = [
                ("publisher", bracketed.start("publisher"), bracketed["publisher"]),
                ("author", bracketed.start("author"), bracketed["author"]),
            ]
        elif match := _BYLINE_NAMES_OUTLET.match(line) or _BYLINE_DATED.match(line) or _BYLINE_NAME_ONLY.match(line):
            if not all(_NAME.match(name) for name in _NAME_SPLIT.split(match["names"])):
                return []
            parts = [("author", match.start("names"), match["names"])]
            if "publisher" in match.groupdict():
                parts.append(("publisher", match.start("publisher"), match["publisher"]))
        else:
            matches = list(self.byline_part.finditer(line))
            if not matches or matches[0].start() != 0:
                return []
            parts = [
                ("editor" if m["cue"].casefold() in self.editor_cues else "author", m.start("names"), m["names"])
                for m in matches
            ]
        spans: list[Span | None] = []
        for role, start, names in parts:
            if role == "publisher":
                spans.append(_role(doc, lead + start, names.strip(), role))
                continue
            cursor = start
            for name in _NAME_SPLIT.split(names):
                cursor = line.index(name, cursor) if name else cursor
                if _NAME.match(name):
                    spans.append(_role(doc, lead + cursor, name, role))
                cursor += len(name)
        return [span for span in spans if span is not None]

    @staticmethod
    def _headline(doc: Doc, text: str, lines: list[tuple[int, int]], skip: set[int]) -> None:
        """First line is the headline, unless it is a short kicker above a longer headline."""
        texts = [text[s:e].strip() for s, e in lines if s not in skip and text[s:e].strip()]
        if not texts:
            return
        first = texts[0]
        second = texts[1] if len(texts) > 1 else ""
        is_kicker = (
            len(first.split()) <= 5
            and len(second.split()) > len(first.split())
            and not first.endswith((".", "!", "?", '"'))
            and not second.endswith(".")
        )
        if is_kicker:
            doc._.kg_section, doc._.kg_headline = first, second
        elif len(texts) > 1 and not first.endswith((".", '"', "”")) and len(first.split()) <= MAX_HEADLINE_WORDS:
            doc._.kg_headline = first  # one line alone is the story, not its headline
        told = {doc._.kg_section, doc._.kg_headline}
        heads = [(s, e) for s, e in lines if text[s:e].strip() in told][:2]
        set_spans(doc, HEADLINE, _line_spans(doc, heads))


def _break_sentences(doc: Doc, text: str) -> None:
    """The token after a line break starts a sentence. Set all at once: each ``is_sent_start = True``
    scans the whole Doc for a parse first, which made an article of short lines quadratic."""
    if not len(doc):
        return
    breaks = np.fromiter((m.start() for m in re.finditer("\n", text)), dtype=np.int64)
    after = np.searchsorted(doc.to_array("IDX"), breaks, side="right")
    after = after[(after > 0) & (after < len(doc))]
    if len(after):
        starts = doc.to_array([SENT_START])
        starts[after] = 1
        doc.from_array([SENT_START], cast(Ints2d, starts))


def _line_spans(doc: Doc, lines: list[tuple[int, int]]) -> list[Span]:
    spans = (doc.char_span(start, end, alignment_mode="expand") for start, end in lines)
    return [span for span in spans if span is not None]


def _credits(doc: Doc, text: str, bylines: set[int]) -> list[Span]:
    """Photo credits in captions: the agency (ORG) and the photographer (PER)."""
    spans: list[Span | None] = []
    taken: set[int] = set()
    for pattern in (_CREDIT_BRACKETED, _CREDIT_LINE_END, _CREDIT_PHOTOGRAPH, _CREDIT_AGENCY_PHOTO):
        matches = (
            _line_end_credits(text)
            if pattern is _CREDIT_LINE_END
            else pattern.finditer(text)
            if pattern is not _CREDIT_PHOTOGRAPH or "Ph" in text or "Fo" in text
            else ()
        )
        for match in matches:
            line_start = text.rfind("\n", 0, match.start()) + 1
            if line_start in bylines or match.start() in taken:
                continue
            a = match["a"].strip()
            b = match.groupdict().get("b")
            b = b.strip() if b else None
            if b is None:
                parts = [("credit_org", match.start("a"), a)]
            elif (
                pattern is _CREDIT_PHOTOGRAPH
                or _PHOTO_WORDS.search(b)
                or (b.isupper() and " " not in b and len(b) <= 6 and not a.isupper())
            ):
                parts = [("credit_per", match.start("a"), a)]  # "Jane Doe/EPA", "John Roe/Pool Photo via AP"
                if not _PHOTO_WORDS.search(b):
                    parts.append(("credit_org", match.start("b"), b))
            else:
                parts = [("credit_org", match.start("a"), a), ("credit_per", match.start("b"), b.rstrip("."))]
            if not all(_NAME.match(name) and len(name.split()) <= 5 for _, _, name in parts):
                continue
            taken.add(match.start())
            spans.extend(_role(doc, start, name, role) for role, start, name in parts)
    return [span for span in spans if span is not None]


def _line_end_credits(text: str) -> Iterator[re.Match[str]]:
    """``AGENCY/Name`` closing a line: tried only on the ends of lines that hold a slash."""
    for start, end in text_lines(text):
        if "/" in text[max(start, end - 80) : end]:
            found = _CREDIT_LINE_END.search(text, max(start, end - 80), end)
            if found:
                yield found


def _role(doc: Doc, start: int, text: str, role: str) -> Span | None:
    return doc.char_span(start, start + len(text.rstrip()), label=role)
