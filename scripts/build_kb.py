"""Build the bundled knowledge base, kg/data/kb.jsonl.gz, from the verified Wikidata list.

Run from the project root when ../shared/wikidata/verified.tsv or kg/kb/aliases.tsv changes:

    python scripts/build_kb.py ../shared/wikidata/verified.tsv

Only IDs from verified.tsv enter the file; aliases.tsv adds names to them and nothing else.
Names news uses are also derived by rule, the same for a whole class (organization_names,
person_names, hyphen_variants, untitled). Popularity is a prior we set by kind (countries above
provinces) and, for people, by how recently the list shows them in office (office_year), because
the verified list carries no sitelink counts; live records bring real ones.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
from spacy.lang.id.stop_words import STOP_WORDS as ID_STOP_WORDS

from kg.kb.entity import KBEntity
from kg.kb.store import dumps_record, surnames
from kg.normalize import fold, is_acronym
from kg.records import EntityType

ROOT = Path(__file__).resolve().parents[1]
TYPES = {
    "person": EntityType.PER,
    "organization": EntityType.ORG,
    "place": EntityType.LOC,
    "organization or place": EntityType.ORG,
}
KINDS = {
    "person": "person",
    "organization": "organization",
    "place": "place",
    "organization or place": "organization",
    "position": "position",
    "event": "event",
}
_TRAILING_NOTE = re.compile(r"^(?P<name>.+?)\s*\((?P<note>[^()]+)\)$")
# "in office as of 2026-01-01", an open range "(2024- )", "2019-10-03 – , in office", "sitting in 2025-2026"
_AS_OF = re.compile(r"in office as of (\d{4})|sitting in (?:\d{4}-)?(\d{4})")
_OPEN_RANGE = re.compile(r"\b(\d{4})(?:-\d\d(?:-\d\d)?)?\s*[-–]\s*(?=[,;)]|$)")
_TERM = re.compile(r"\b(\d{4})(?:-\d\d(?:-\d\d)?)?\s*[-–]\s*(\d{4})\b")
LIST_YEAR = 2026  # the newest "as of" the verified list gives; a term running past it is current
_EAST_ASIAN = re.compile(r"China|Chinese|Korea|Taiwan")  # family name first: "Xi Jinping", "Han Duck-soo"
_INDONESIAN = re.compile(r"Indonesia|\b(?:Menteri|Menko|DPR|MPR|Partai|PKB|PAN)\b")
_MALAY = re.compile(r"Malaysia|Brunei")
_PATRONYMICS = frozenset({"bin", "binti", "bint", "ibn"})
_TITLES = frozenset({"prince", "princess", "king", "queen", "sheikh", "sultan", "emir", "dr", "mr", "mrs", "ms"})
_HONORIFICS = _TITLES | {"haji", "hajjah", "raden", "teuku", "cut", "andi", "mas", "kyai", "gusti", "ida", "bagus"}
_HONORIFICS |= {"datuk", "dato", "seri", "tun", "tan", "sri"}  # Malay
_STOP_WORDS = frozenset(fold(w) for w in EN_STOP_WORDS | ID_STOP_WORDS)


def office_year(role: str) -> int | None:
    """The latest year the verified row shows the person in office, or None if every office it gives has ended."""
    years = [int(y) for match in _AS_OF.finditer(role) for y in match.groups() if y]
    years += [int(match[1]) for match in _OPEN_RANGE.finditer(role)]
    years += [LIST_YEAR for match in _TERM.finditer(role) if int(match[2]) >= LIST_YEAR]
    return max(years) if years else None


def popularity(kind: str, role: str, status: str) -> float:
    if kind == "place":
        if "sovereign state" in role:
            return 0.9
        if "capital" in role or "city" in role:
            return 0.6
        if "province" in role or "region" in role:
            return 0.5
        return 0.6
    if kind == "person":
        # sitting office holders first, the newest above those last seen in office years ago; a role
        # whose every office has ended (a former holder) below a person the list gives no office for
        year = office_year(role)
        if year is not None:
            return round(0.6 + 0.02 * min(4, max(0, year - 2022)), 2)
        return 0.35 if re.search(r"\d{4}", role) else 0.45
    if kind in {"organization", "organization or place"}:
        return 0.6 if status == "STRONG" else 0.5
    return 0.3


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s,]+", name) if w]


def hyphen_variants(name: str) -> list[str]:
    """ "Han Duck-soo" is also written "Han Duck Soo"; "PDI-P" is also "PDI P"."""
    if "-" not in name:
        return []
    spaced = " ".join(part[:1].upper() + part[1:] for part in re.split(r"-", name) if part)
    return [re.sub(r"\s+", " ", spaced)] if not is_acronym(name) else [name.replace("-", " ")]


def person_names(
    qid: str, label: str, names: list[str], role: str, short_owners: dict[str, set[str]], taken: dict[str, set[str]]
) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """A person's surnames (None: let the KB derive the last name) and short names.

    Indonesian and Malay names have no family name, and Arabic ones name the father: news uses
    the first, distinctive part of the name ("Prabowo", "Gibran", "Dasco" of "Dasco Ahmad", "Anwar",
    "Faisal") and its first words ("Gibran Rakabuming", "Faisal bin Farhan"). Each is a short name
    when no other such person in the KB has it (Indonesia has many a "Budi") and it is not an
    honorific, an initial or a common word. Chinese, Korean and Taiwanese names put the family
    name first ("Yoon", "Han"). No surname or short name is a stop word or the whole name of
    another entity ("RI").
    """

    def free(name: str) -> bool:
        return not taken.get(fold(name), set()) - {qid} and name not in names and fold(name) not in _STOP_WORDS

    def distinctive(word: str) -> bool:
        norm = fold(word)
        return (
            len(norm) >= 4
            and word[:1].isupper()
            and word.isalpha()
            and norm not in _HONORIFICS
            and len(short_owners.get(norm, ())) <= 1
        )

    words = _words(untitled(label))
    names = [untitled(name) for name in names]
    patronymic = next((i for i, w in enumerate(words) if i and fold(w) in _PATRONYMICS), None)
    if by_given_name(label, role):
        short: list[str] = []
        for name in names:
            parts = _words(name)
            if len(parts) < 2 or is_acronym(name):
                continue
            if distinctive(parts[0]) and f"{parts[0]}-" not in label:  # not "Abdel" of "Abdel-Aziz"
                short.append(parts[0])
            if patronymic is None and len(parts) >= 3 and parts[1][:1].isupper() and parts[1].isalpha():
                short.append(" ".join(parts[:2]))
        if patronymic is not None and patronymic + 2 < len(words):
            short.append(" ".join(words[: patronymic + 2]))  # "Faisal bin Farhan"
        return (), tuple(s for s in dict.fromkeys(short) if free(s))
    if _EAST_ASIAN.search(role) and len(words) >= 2 and len(words[0]) <= 5 and "," not in label:
        return tuple(s for s in words[:1] if free(s)), ()
    derived = surnames(label)
    kept = tuple(s for s in derived if free(s))
    return (None if kept == tuple(derived) else kept), ()


def untitled(name: str) -> str:
    """The name without a leading title ("Prince Faisal bin Farhan" is "Faisal bin Farhan")."""
    words = _words(name)
    while len(words) > 2 and fold(words[0]).rstrip(".") in _TITLES:
        words = words[1:]
    return " ".join(words)


def by_given_name(label: str, role: str) -> bool:
    """Whether news refers to this person by a given name (Indonesian, Malay and Arabic names)."""
    patronymic = any(i and fold(w) in _PATRONYMICS for i, w in enumerate(_words(label)))
    return bool(_INDONESIAN.search(role) or _MALAY.search(role) or patronymic)


def given_names(names: list[str]) -> set[str]:
    """The first and last words of a person's names: the parts that may serve as short names."""
    return {fold(w) for name in names if len(_words(name)) >= 2 for w in (_words(name)[0], _words(name)[-1])}


def read_aliases(path: Path) -> dict[str, tuple[list[str], list[str]]]:
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    aliases: dict[str, tuple[list[str], list[str]]] = {}
    for row in csv.DictReader(rows, delimiter="\t"):
        split = lambda cell: [part.strip() for part in (cell or "").split("|") if part.strip()]  # noqa: E731
        if row["qid"] in aliases:
            raise SystemExit(f"aliases.tsv lists {row['qid']} twice")
        aliases[row["qid"]] = (split(row["aliases"]), split(row["anaphors"]))
    return aliases


def organization_names(label: str, note: str | None, others: list[str], role: str) -> list[str]:
    """Names derived from an organization's verified names by the conventions of Indonesian news.

    "Ministry of Finance (Indonesia)": "Ministry of Finance of Indonesia", "Indonesian Ministry of
    Finance", and its Indonesian names with "RI" ("Kementerian Keuangan RI", "Kemenkeu RI"); a party
    known by a short name is also "Partai <short name>" ("Partai Gerindra"); a hyphenated acronym is
    also written with a space ("PDI P").
    """
    derived: list[str] = []
    if note:
        derived.append(f"{label} of {note}")
        if note == "Indonesia" and label.startswith("Ministry of "):
            derived.append(f"Indonesian {label}")
    indonesian = "(Indonesia" in role or note == "Indonesia"
    for other in others:
        derived += hyphen_variants(other)
        if indonesian and role.startswith("ministry"):
            if other.startswith("Kementerian ") or (other.startswith("Kemen") and len(other.split()) == 1):
                derived += [f"{other} RI", f"{other} Republik Indonesia"] if " " in other else [f"{other} RI"]
        if indonesian and role.startswith("political party") and " " not in other and not other.startswith("Partai"):
            derived.append(f"Partai {other}")
    return derived


def build(verified: Path, aliases_path: Path) -> list[KBEntity]:
    aliases = read_aliases(aliases_path)
    rows = []
    with verified.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            qid, kind, role = row["id"], row["kind"], row["role"] or ""
            if not qid.startswith("Q"):
                continue
            label, extra, note_place = row["name"], [], None
            note = _TRAILING_NOTE.match(label)
            if note:
                label = note["name"]
                if len(note["note"].split()) >= 2 and note["note"][0].isupper():
                    extra.append(note["note"])
                elif kind == "position" and note["note"] != "position":  # "Minister of Defence (Indonesia)"
                    label = f"{label} of {note['note']}"
                elif kind == "organization" and note["note"][0].isupper():
                    # "Ministry of Defence (Indonesia)": the bare name is any country's ministry, so it is
                    # kept as the label but the names that match text say which
                    label, note_place = row["name"], note["note"]
            others = [part.strip() for part in (row["other_names"] or "").split("|") if part.strip()]
            if kind == "organization":
                bare = note["name"] if note_place and note else label
                extra += organization_names(bare, note_place, others, role)
            if kind == "person":
                extra += [v for name in [label, *others] for v in hyphen_variants(name)]
                extra += [untitled(name) for name in [label, *others] if untitled(name) != name]
            more, anaphors = aliases.pop(qid, ([], []))
            unique = list(dict.fromkeys(name for name in [label, *others, *extra, *more] if name))
            rows.append((qid, kind, role, row["status"], label, unique, anaphors))
    if aliases:
        raise SystemExit(f"aliases.tsv names IDs that verified.tsv does not list: {sorted(aliases)}")
    taken: dict[str, set[str]] = {}  # a whole name -> the entities going by it
    for qid, _kind, _role, _status, _label, names, _anaphors in rows:
        for name in names:
            taken.setdefault(fold(name), set()).add(qid)
    short_owners: dict[str, set[str]] = {}  # a first or last word -> the people named by a given name who have it
    for qid, kind, role, _status, label, names, _anaphors in rows:
        if kind == "person" and by_given_name(label, role):
            for word in given_names(names):
                short_owners.setdefault(word, set()).add(qid)
        elif kind == "person":  # nor another person's surname ("Widodo")
            for surname in surnames(label):
                short_owners.setdefault(fold(surname), set()).add(qid)
    entities: list[KBEntity] = []
    for qid, kind, role, status, label, names, anaphors in rows:
        person = person_names(qid, label, names, role, short_owners, taken) if kind == "person" else (None, ())
        prefixes = [n for n in person[1] if " " in n and not any(fold(w) in _PATRONYMICS for w in n.split())]
        if prefixes:  # "Gibran Rakabuming" is a name to match in text; "Gibran" only a short name
            names = list(dict.fromkeys([*names, *prefixes]))
            person = (person[0], tuple(n for n in person[1] if n not in prefixes))
        entities.append(
            KBEntity(
                qid=qid,
                label=label,
                type=TYPES.get(kind),
                kind=KINDS.get(kind, "item"),
                description=role,
                popularity=popularity(kind, role, status),
                names=tuple((name, "en" if i == 0 else "mul") for i, name in enumerate(names)),
                anaphors=tuple(anaphors),
                surnames=person[0],
                short_names=person[1],
            )
        )
    return entities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("verified", type=Path)
    parser.add_argument("--aliases", type=Path, default=ROOT / "kg" / "kb" / "aliases.tsv")
    parser.add_argument("--out", type=Path, default=ROOT / "kg" / "data" / "kb.jsonl.gz")
    args = parser.parse_args()
    entities = build(args.verified, args.aliases)
    with gzip.GzipFile(args.out, "wb", mtime=0) as raw:
        raw.write("".join(dumps_record(e) + "\n" for e in sorted(entities, key=lambda e: e.qid)).encode())
    print(f"{args.out}: {len(entities)} entities")


if __name__ == "__main__":
    main()
