"""Build the bundled knowledge base, kg/data/kb.jsonl.gz, from the verified Wikidata list.

Run from the project root when ../shared/wikidata/verified.tsv or kg/kb/aliases.tsv changes:

    python scripts/build_kb.py ../shared/wikidata/verified.tsv

Only IDs from verified.tsv enter the file; aliases.tsv adds names to them and nothing else.
Popularity is a prior we set by kind (countries above provinces, sitting leaders above former
ones) because the verified list carries no sitelink counts; live records bring real ones.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.kb.entity import KBEntity
from kg.kb.store import dumps_record
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
        return 0.6 if "in office as of" in role else 0.45
    if kind in {"organization", "organization or place"}:
        return 0.6 if status == "STRONG" else 0.5
    return 0.3


def read_aliases(path: Path) -> dict[str, tuple[list[str], list[str]]]:
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    aliases: dict[str, tuple[list[str], list[str]]] = {}
    for row in csv.DictReader(rows, delimiter="\t"):
        split = lambda cell: [part.strip() for part in (cell or "").split("|") if part.strip()]  # noqa: E731
        aliases[row["qid"]] = (split(row["aliases"]), split(row["anaphors"]))
    return aliases


def build(verified: Path, aliases_path: Path) -> list[KBEntity]:
    aliases = read_aliases(aliases_path)
    entities: list[KBEntity] = []
    with verified.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            qid, kind, role = row["id"], row["kind"], row["role"] or ""
            if not qid.startswith("Q"):
                continue
            label, extra = row["name"], []
            note = _TRAILING_NOTE.match(label)
            if note:
                label = note["name"]
                if len(note["note"].split()) >= 2 and note["note"][0].isupper():
                    extra.append(note["note"])
                elif kind == "position" and note["note"] != "position":  # "Minister of Defence (Indonesia)"
                    extra.append(f"{label} of {note['note']}")
            names = [label, *extra, *(part.strip() for part in (row["other_names"] or "").split("|"))]
            more, anaphors = aliases.pop(qid, ([], []))
            unique = list(dict.fromkeys(name for name in [*names, *more] if name))
            entities.append(
                KBEntity(
                    qid=qid,
                    label=label,
                    type=TYPES.get(kind),
                    kind=KINDS.get(kind, "item"),
                    description=role,
                    popularity=popularity(kind, role, row["status"]),
                    names=tuple((name, "en" if i == 0 else "mul") for i, name in enumerate(unique)),
                    anaphors=tuple(anaphors),
                )
            )
    if aliases:
        raise SystemExit(f"aliases.tsv names IDs that verified.tsv does not list: {sorted(aliases)}")
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
