"""End-to-end extraction throughput: articles/s, words/s, time per stage and peak memory.

    python bench/bench_extract.py [--articles 500] [--seed 7] [--format ttl|nq|trig] [--jobs N] [--ner learned|rules]
    python bench/bench_extract.py --check-stream [--articles 20000]   # the generator's stream through kg validate

Articles are generated (Indonesian and English, news-like sentences filled with names from the
bundled KB and with names it does not know), so the run needs nothing outside the project.
Each article goes through the whole path a user's does: pipeline, records, RDF, SHACL, output.
Times are the process's CPU time (as ``taskset -c 0`` pins it to one core), so that other work on a
shared machine moves them little; the ratios to spaCy's blank pipelines hold best.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.article import Article
from kg.batch import CHUNK, COLLECT_EVERY
from kg.collector import LongRunCollector
from kg.extract import extract_records
from kg.kb import open_kb
from kg.pipeline import get_pipeline
from kg.rdf.mapping import TYPE, to_article_graph
from kg.shacl import ShapesEngine
from kg.validate import default_validator

ID_SENTENCES = [
    "{title_id} {per} mengatakan {org} akan menggelar pertemuan di {loc} pada Selasa (11/10/2022).",
    '"Kami ingin perang segera berakhir dan semua pihak kembali berunding," kata {per} kepada wartawan.',
    "Menurut {per}, kerja sama dengan {loc} harus diperkuat tahun depan.",
    "Juru Bicara {org}, {new_per}, menegaskan bahwa sikap pemerintah tidak berubah.",
    "Pertemuan itu juga dihadiri perwakilan {org} dan {org}.",
    "Harga bahan pokok di {loc} naik sejak awal Oktober, menurut data Badan Pusat Statistik.",
    "Sebelumnya, {per} berkunjung ke {loc} dan bertemu pejabat setempat.",
    "Kementerian Luar Negeri menyebut situasi di {loc} masih belum stabil.",
    "Warga di Kabupaten {new_place} mengeluhkan banjir yang merendam ratusan rumah.",
    "Ada kekhawatiran konflik akan meluas, kata pengamat dari Universitas {new_place}, {new_per}.",
    "Baca juga: {per} Bertemu {per} di {loc}",
]
EN_SENTENCES = [
    "{title_en} {per} said on Tuesday that {org} would meet in {loc} next week.",
    '"We want the war to end and everyone to return to talks," {per} told reporters.',
    "According to {per}, cooperation with {loc} must be strengthened next year.",
    "A spokesman for {org}, {new_per}, said the government's position had not changed.",
    "The meeting was also attended by representatives of {org} and {org}.",
    "Food prices in {loc} have risen since early October, data from the Ministry of Trade showed.",
    "Earlier, {per} visited {loc} and met local officials.",
    "Residents of {new_place} County complained about floods that damaged hundreds of homes.",
    "Analyst {new_per} of the University of {new_place} said the conflict could spread.",
    "Read also: {per} meets {per} in {loc}",
]
FIRST = ["Andi", "Rina", "Budi", "Sari", "Dewi", "Agus", "Maria", "Tom", "Anna", "Yusuf", "Lina", "Hendra"]
LAST = ["Wibowo", "Kusuma", "Hartono", "Lestari", "Halvorsen", "Kovac", "Pratama", "Santoso", "Wijaya", "Nugroho"]
PLACES = ["Sukamaju", "Cimahi Barat", "Karanganyar", "Sidoarjo Timur", "Riverton", "Lakeside", "Bukit Indah"]


def generate(count: int, seed: int, vocabulary: int = 0) -> list[Article]:
    """``vocabulary``: when not 0, each article also has three sentences of lower-case made-up words drawn
    from that many (Zipf-distributed, as a language's words are): real news brings new words on every
    page, which the templates alone do not."""
    rng = random.Random(seed)
    words, weights = made_up_words(vocabulary, rng)
    kb = open_kb()
    names: dict[str, list[str]] = {"PER": [], "ORG": [], "LOC": []}
    for entry in kb.gazetteer_names():
        if not entry.acronym and entry.name[:1].isupper():
            names[entry.type.value].append(entry.name)
    fill = {
        "per": lambda: rng.choice(names["PER"]),
        "org": lambda: rng.choice(names["ORG"]),
        "loc": lambda: rng.choice(names["LOC"]),
        "new_per": lambda: f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "new_place": lambda: rng.choice(PLACES),
        "title_id": lambda: rng.choice(["Presiden", "Menlu", "Sekjen"]),
        "title_en": lambda: rng.choice(["President", "Foreign Minister", "Secretary General"]),
    }
    articles = []
    for i in range(count):
        lang = "id" if i % 3 else "en"
        templates = ID_SENTENCES if lang == "id" else EN_SENTENCES
        lines = [f"{fill['per']()} {'di' if lang == 'id' else 'in'} {fill['loc']()}"]
        for _ in range(rng.randint(18, 30)):
            template = rng.choice(templates)
            lines.append(template.format_map(_Lazy(fill)))
        for _ in range(3 if words else 0):
            lines.append(" ".join(rng.choices(words, cum_weights=weights, k=rng.randint(8, 14))).capitalize() + ".")
        articles.append(Article.from_text("\n".join(lines), lang))
    return articles


def made_up_words(count: int, rng: random.Random) -> tuple[list[str], list[float]]:
    """``count`` distinct words of two to four syllables, and their cumulative Zipf weights."""
    syllables = [c + v for c in "bdgjklmnprstw" for v in "aeiou"]
    words: dict[str, None] = {}
    while len(words) < count:
        words["".join(rng.choices(syllables, k=rng.randint(2, 4)))] = None
    return list(words), list(accumulate(1 / rank for rank in range(1, count + 1)))


class _Lazy(dict):
    """Each ``{slot}`` in a template gets a fresh random value, even when it repeats."""

    def __init__(self, fill: dict) -> None:
        super().__init__()
        self.fill = fill

    def __missing__(self, key: str) -> str:
        return self.fill[key]()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=("ttl", "nq", "trig"), default="ttl", help="what each graph is written as")
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="also run the corpus path (JSONL in, N-Quads stream out) with this many workers",
    )
    parser.add_argument(
        "--sparql-in-oxigraph",
        action="store_true",
        help="run the SPARQL constraints in Oxigraph, not compiled to Python (what kg/shacl/sparql_python.py saves)",
    )
    parser.add_argument(
        "--check-stream",
        action="store_true",
        help="write the articles as one N-Quads stream and validate it whole, as kg validate does "
        "(nodes that articles share meet there); prints the invalid count (default 20,000 articles)",
    )
    parser.add_argument("--ner", choices=("learned", "rules"), default=None, help="the name finder (default: kg's)")
    parser.add_argument(
        "--vocabulary",
        type=int,
        default=0,
        help="add three sentences an article of words drawn from this many made-up ones (a long corpus's "
        "vocabulary: 100000, say)",
    )
    args = parser.parse_args()
    if args.check_stream:
        check_stream(args.articles if "--articles" in sys.argv else 20_000, args.seed)
        return
    if args.jobs:
        corpus(args.articles, args.seed, args.jobs, args.format, args.ner)
        return

    started = time.process_time()
    for lang in ("id", "en"):
        get_pipeline(lang, ner=args.ner)
    validator = default_validator()
    if args.sparql_in_oxigraph:
        validator = replace(validator)
        validator.compiled = ShapesEngine(validator.shapes, sparql_in_python=False)
    setup = time.process_time() - started
    articles = generate(args.articles, args.seed, args.vocabulary)
    words = sum(len(a.text.split()) for a in articles)

    # kg.batch's own steps (process_chunk), timed apart: each article extracted, mapped,
    # validated and serialized (here the chunk's graphs after it); a collector step per chunk.
    collector = LongRunCollector(COLLECT_EVERY)
    stages = dict.fromkeys(("nlp + records", "rdf graph", "shacl", args.format), 0.0)
    blank = Blank(articles)
    triples = invalid = 0
    for first in range(0, len(articles), CHUNK):
        graphs = []
        for article in articles[first : first + CHUNK]:
            t0 = time.process_time()
            extraction = extract_records(article, ner=args.ner)
            t1 = time.process_time()
            graph = to_article_graph(extraction)
            t2 = time.process_time()
            invalid += not validator.check_graph(graph).conforms
            t3 = time.process_time()
            stages["nlp + records"] += t1 - t0
            stages["rdf graph"] += t2 - t1
            stages["shacl"] += t3 - t2
            graphs.append(graph)
            blank.time(article)
        t4 = time.process_time()
        for graph in graphs:
            {"ttl": graph.turtle, "nq": graph.nquads, "trig": graph.trig}[args.format]()
        stages[args.format] += time.process_time() - t4
        triples += sum(len(graph) for graph in graphs)
        collector.step()  # as kg.batch does after each chunk
    total = sum(stages.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"articles: {len(articles)} ({words:,} words, {words / len(articles):.0f} per article), "
        f"{triples:,} triples, {invalid} invalid"
        + (f"; three sentences an article of {args.vocabulary:,} made-up words" if args.vocabulary else "")
    )
    print(f"setup (pipelines, KB, shapes): {setup:.2f} s")
    print(f"throughput: {len(articles) / total:.1f} articles/s, {words / total:,.0f} words/s (CPU time, one core)")
    for stage, seconds in stages.items():
        print(
            f"  {stage:14} {seconds:7.2f} s  {100 * seconds / total:5.1f} %  "
            f"{1000 * seconds / len(articles):6.2f} ms an article"
        )
    print(f"peak memory: {peak_mb:.0f} MB")
    print(
        f"reference: kg takes {total / blank.own:.2f}x the time of spaCy's blank pipeline for each article's "
        f"language, {total / blank.indonesian:.2f}x that of blank('id') for every article"
    )


class Blank:
    """What spaCy's own blank pipeline (tokenizer only) takes for the same articles: the floor kg builds
    on. Each article is timed right after kg's run of it, so that a shared machine's load moves both."""

    def __init__(self, articles: list[Article]) -> None:
        import spacy

        self.pipelines = {lang: spacy.blank(lang) for lang in {"id", *(a.lang for a in articles)}}
        for article in articles[:50]:  # warm their caches as kg's run warmed kg's
            self.pipelines[article.lang](article.text)
            self.pipelines["id"](article.text)
        self.own = self.indonesian = 0.0

    def time(self, article: Article) -> None:
        """Each pipeline reads each text once, as kg does: a second pass would find every chunk in
        spaCy's cache (an Indonesian article's own pipeline is blank('id'), timed once for both)."""
        t0 = time.process_time()
        self.pipelines[article.lang](article.text)
        own = time.process_time() - t0
        self.own += own
        if article.lang == "id":
            self.indonesian += own
            return
        t1 = time.process_time()
        self.pipelines["id"](article.text)
        self.indonesian += time.process_time() - t1


def corpus(count: int, seed: int, jobs: int, rdf_format: str, ner: str | None) -> None:
    """kg extract's own path: a JSONL corpus through kg.batch into Turtle files or one stream."""
    import json
    import tempfile

    from kg.batch import Options, run

    articles = generate(count, seed)
    words = sum(len(a.text.split()) for a in articles)
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    source = folder / "corpus.jsonl"
    source.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": a.text, "lang": a.lang}) + "\n" for i, a in enumerate(articles)),
        encoding="utf-8",
    )
    target = folder / ("out" if rdf_format == "ttl" else f"corpus.{rdf_format}")
    started = time.perf_counter()
    outcomes = run([source], target, Options(format=rdf_format, ner=ner), jobs=jobs, tune_gc=True)  # as kg extract does
    done = sum(1 for d in outcomes if d.error is None)
    seconds = time.perf_counter() - started
    peak_mb = (
        max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        / 1024
    )
    size_mb = sum(p.stat().st_size for p in ([target] if target.is_file() else target.iterdir())) / 1e6
    print(
        f"corpus path: {done:,} of {count:,} articles ({words:,} words) in {seconds:.1f} s with {jobs} workers: "
        f"{done / seconds:.1f} articles/s ({done / seconds / jobs:.1f} per worker), {words / seconds:,.0f} words/s; "
        f"{size_mb:.0f} MB of {rdf_format}; peak memory per process {peak_mb:.0f} MB"
    )


def check_stream(count: int, seed: int) -> None:
    """Each article conforming on its own is not enough: in a stream the nodes that articles share
    (entities, events, kg:Words) gather every article's triples, and ``kg validate corpus.nq`` checks
    the union. Validating a 20,000-article union whole takes ~15 GB here, so this validates what the
    union changes: every node more than one article describes, with all its triples from the stream
    and the types of its values (what kg's shapes read of a node), in memory bounded by those nodes."""
    import tempfile

    import pyoxigraph as ox

    from kg.rdf.graph import ArticleGraph

    validator = default_validator()
    articles = generate(count, seed)
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-stream-"))
    stream = folder / "corpus.nq"
    started = time.perf_counter()
    refused = 0
    seen: set[int] = set()  # hashes of subjects, not the strings: memory for 20,000 articles stays small
    shared: set[int] = set()
    with stream.open("wb") as out:
        for first in range(0, len(articles), CHUNK):
            graphs = [to_article_graph(extract_records(a)) for a in articles[first : first + CHUNK]]
            for graph, report in zip(graphs, validator.check_graphs(graphs), strict=True):
                if not report.conforms:  # as kg extract does: a graph that fails on its own is not written
                    refused += 1
                    continue
                out.write(graph.nquads())
                for subject in {hash(s) for s, _, _ in graph.triples}:
                    (shared if subject in seen else seen).add(subject)
    extracted = time.perf_counter() - started

    def quads() -> Iterator[tuple[str, str, str]]:
        for quad in ox.parse(path=str(stream), format=ox.RdfFormat.N_QUADS):
            yield str(quad.subject), str(quad.predicate), str(quad.object)

    union = {t for t in quads() if hash(t[0]) in shared}
    values = {o for _, _, o in union if o.startswith("<")}
    union |= {t for t in quads() if t[1] == TYPE and t[0] in values}
    assert validator.compiled is not None  # kg's own shapes always compile
    results = validator.compiled.validate([("urn:kg:stream", ArticleGraph.of("urn:kg:stream", union).triples)])
    findings = [f for f in results if hash(f.focus.n3()) in shared]  # values typed only: not what is checked
    focus = sorted({f.focus for f in findings}, key=str)
    seconds = time.perf_counter() - started - extracted
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"stream of {count - refused:,} articles ({stream.stat().st_size / 1e6:.0f} MB; {refused} invalid alone), "
        f"extracted in {extracted:.0f} s; {len(shared):,} nodes in more than one article "
        f"({len(union):,} triples), validated in {seconds:.0f} s: {len(focus)} invalid in the stream, "
        f"{len(findings)} results; peak memory {peak_mb:.0f} MB"
    )
    for node in focus[:10]:
        print(f"  {node.n3()}: {next(f.message for f in findings if f.focus == node)}")
    stream.unlink()
    folder.rmdir()
    sys.exit(1 if refused or findings else 0)


if __name__ == "__main__":
    main()
