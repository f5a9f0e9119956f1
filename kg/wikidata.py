"""A polite client for the Wikidata API (and the Wikidata Query Service), and what kg does with it.

Polite as Wikimedia asks of API users: a descriptive User-Agent with a contact, ``maxlag=5`` on
every API request, ``Retry-After`` honoured on maxlag errors, 429 and 503, timeouts, at most
``workers`` requests in flight, and ``wbgetentities`` asked for 50 IDs at a time. The same code
talks to wikidata.org and, in the tests, to a loopback server: only the base URLs differ.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import requests

from kg.backoff import AskAgain, RetryingSession, Unanswered
from kg.errors import KnowledgeBaseError, UsageError, WikidataError
from kg.kb import KB_SUFFIXES, open_kb
from kg.kb.entity import KIND_OF_TYPE, KBEntity, entity_from_wikidata
from kg.kb.store import KnowledgeBase
from kg.records import EntityType

API_URL = "https://www.wikidata.org/w/api.php"
SPARQL_URL = "https://query.wikidata.org/sparql"
BATCH = 50  # wbgetentities takes at most 50 IDs
MAXLAG = 5
LANGUAGES = ("id", "en")
log = logging.getLogger("kg.wikidata")


@dataclass(slots=True)
class WikidataClient:
    api_url: str = field(default_factory=lambda: os.environ.get("KG_WIKIDATA_API", API_URL))
    sparql_url: str = field(default_factory=lambda: os.environ.get("KG_WIKIDATA_SPARQL", SPARQL_URL))
    contact: str = field(default_factory=lambda: os.environ.get("KG_CONTACT", "set KG_CONTACT to an e-mail or URL"))
    timeout: float = 10.0
    retries: int = field(default_factory=lambda: int(os.environ.get("KG_WIKIDATA_RETRIES", "4")))
    backoff: float = 1.0
    workers: int = 2
    http: RetryingSession = field(init=False)

    def __post_init__(self) -> None:
        self.http = RetryingSession(self.timeout, self.retries, self.backoff, cap=120.0)

    @property
    def user_agent(self) -> str:
        from kg import __version__

        return f"kg/{__version__} (knowledge graphs from news; {self.contact}) python-requests/{requests.__version__}"

    # --- the three calls kg makes -------------------------------------------------------------

    def search(self, name: str, language: str = "en", limit: int = 7) -> list[str]:
        """QIDs whose label or alias matches ``name`` (``wbsearchentities``), best first."""
        data = self._api(
            {
                "action": "wbsearchentities",
                "search": name,
                "language": language,
                "uselang": language,
                "type": "item",
                "limit": str(limit),
                "strictlanguage": "false",
            }
        )
        return [hit["id"] for hit in data.get("search", []) if str(hit.get("id", "")).startswith("Q")]

    def entities(self, qids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Entity records (``wbgetentities``) for ``qids``, fetched 50 at a time; missing ones left out."""
        unique = list(dict.fromkeys(qids))
        chunks = [unique[i : i + BATCH] for i in range(0, len(unique), BATCH)]
        records: dict[str, dict[str, Any]] = {}
        with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
            for data in pool.map(self._get_chunk, chunks):
                for qid, record in data.get("entities", {}).items():
                    if "missing" not in record and record.get("type", "item") == "item":
                        records[qid] = record
        return records

    def classes_of(self, qids: Sequence[str], classes: Sequence[str]) -> dict[str, set[str]]:
        """Which of ``classes`` each item is an instance of, through subclasses (WDQS, P31/P279*)."""
        if not qids:
            return {}
        values = " ".join(f"wd:{q}" for q in qids)
        wanted = " ".join(f"wd:{c}" for c in classes)
        query = (
            "PREFIX wd: <http://www.wikidata.org/entity/> PREFIX wdt: <http://www.wikidata.org/prop/direct/> "
            f"SELECT ?item ?class WHERE {{ VALUES ?item {{ {values} }} VALUES ?class {{ {wanted} }} "
            "?item wdt:P31/wdt:P279* ?class }"
        )
        data = self._request(
            "GET", self.sparql_url, {"query": query, "format": "json"}, {"Accept": "application/sparql-results+json"}
        )
        found: dict[str, set[str]] = {}
        try:
            for row in data["results"]["bindings"]:
                item = row["item"]["value"].rsplit("/", 1)[-1]
                found.setdefault(item, set()).add(row["class"]["value"].rsplit("/", 1)[-1])
        except (KeyError, TypeError) as exc:
            raise WikidataError(f"{self.sparql_url}: not SPARQL JSON results ({exc})") from exc
        return found

    # --- transport ----------------------------------------------------------------------------

    def _get_chunk(self, chunk: list[str]) -> dict[str, Any]:
        return self._api(
            {
                "action": "wbgetentities",
                "ids": "|".join(chunk),
                "props": "labels|aliases|descriptions|claims|sitelinks",
                "languages": "|".join(LANGUAGES),
            }
        )

    def _api(self, params: dict[str, str]) -> dict[str, Any]:
        return self._request(
            "GET", self.api_url, {**params, "format": "json", "formatversion": "2", "maxlag": str(MAXLAG)}, {}
        )

    def _request(self, method: str, url: str, params: dict[str, str], headers: dict[str, str]) -> dict[str, Any]:
        try:
            return self.http.request(
                method, url, _accept(url), params=params, headers={"User-Agent": self.user_agent, **headers}
            )
        except Unanswered as failed:
            if failed.error is not None:
                raise WikidataError(
                    f"{url}: unreachable after {failed.tries} tries ({type(failed.error).__name__})"
                ) from failed.error
            if failed.response is not None:
                raise WikidataError(f"{url}: HTTP {failed.response.status_code} after {failed.tries} tries") from None
            raise WikidataError(f"{url}: {failed.again} after {failed.tries} tries") from None


def _accept(url: str) -> Callable[[requests.Response], dict[str, Any]]:
    """What a Wikidata answer must be: JSON, not an error; a lagging replica is asked again."""

    def accept(response: requests.Response) -> dict[str, Any]:
        if response.status_code >= 400:
            raise WikidataError(f"{url}: HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            raise AskAgain("the answer is not JSON") from None
        error = data.get("error") if isinstance(data, dict) else None
        if error and error.get("code") == "maxlag":  # replicas lag: wait as told, then ask again
            raise AskAgain(
                f"still lagged ({error.get('info', '')})",
                response.headers.get("Retry-After") or str(error.get("lag", MAXLAG)),
            )
        if error:
            raise WikidataError(f"{url}: {error.get('code')}: {error.get('info', '')}")
        return data

    return accept


# Classes that WDQS may be asked about when P31 alone does not decide (IDs from the verified list).
CHECK_CLASSES = {"Q5": EntityType.PER, "Q43229": EntityType.ORG, "Q6256": EntityType.LOC, "Q515": EntityType.LOC}


def fetch_entities(client: WikidataClient, qids: Sequence[str]) -> list[KBEntity]:
    """Records for ``qids`` read into KB entities, typed by P31, else by a WDQS subclass check."""
    records = client.entities(qids)
    entities = [entity_from_wikidata(record) for record in records.values()]
    undecided = [e.qid for e in entities if e.type is None]
    decided: dict[str, EntityType] = {}
    if undecided:
        for qid, classes in client.classes_of(undecided, list(CHECK_CLASSES)).items():
            types = {CHECK_CLASSES[c] for c in classes if c in CHECK_CLASSES}
            if len(types) == 1:
                decided[qid] = types.pop()
    typed = []
    for entity in entities:
        kind = entity.type or decided.get(entity.qid)
        if kind is not None:
            typed.append(_with_type(entity, kind))
    return typed


def add_entities(
    knowledge_base: KnowledgeBase, client: WikidataClient, qids: Sequence[str]
) -> tuple[list[KBEntity], list[str]]:
    """``kg kb add``: the entities fetched for ``qids`` and kept in the KB, and the QIDs that were not
    (missing in Wikidata, or not a person, organization or place)."""
    entities, missing = _fetched(client, qids)
    knowledge_base.upsert(entities)
    return entities, missing


def _fetched(client: WikidataClient, qids: Sequence[str]) -> tuple[list[KBEntity], list[str]]:
    """The entities kg keeps of ``qids``, and the QIDs it does not (missing, or of no kind it holds)."""
    wanted = [q.upper() for q in qids]
    entities = fetch_entities(client, wanted)
    return entities, sorted(set(wanted) - {e.qid for e in entities})


@dataclass(slots=True, frozen=True)
class Added:
    """What ``kg kb add`` did: the entities kept, the QIDs not kept, and whether the KB file is new."""

    entities: list[KBEntity]
    missing: list[str]
    created: bool


def add_to_kb(path: Path | None, client: WikidataClient, qids: Sequence[str]) -> Added:
    """``kg kb add --kb PATH``: into the KB at ``path`` (the bundled one's cache when None). A ``.sqlite``
    or ``.db`` file that does not exist yet is created, holding only what was fetched, and only once
    something was: a failed fetch or an all-missing list leaves no empty KB behind. Anything else
    that does not exist is refused before Wikidata is asked."""
    if path is None or path.exists():
        entities, missing = add_entities(open_kb(path), client, qids)
        return Added(entities, missing, created=False)
    if path.suffix not in KB_SUFFIXES:
        raise UsageError(f"--kb {path}: no such file; kg kb add creates a new KB only as a .sqlite (or .db) file")
    entities, missing = _fetched(client, qids)
    if not entities:
        return Added(entities, missing, created=False)
    try:
        KnowledgeBase.build(path, entities, source="kg kb add")
    except OSError as exc:
        raise KnowledgeBaseError(f"cannot write the knowledge base {path} ({exc.strerror or exc})") from exc
    return Added(entities, missing, created=True)


def _with_type(entity: KBEntity, kind: EntityType) -> KBEntity:
    return replace(entity, type=kind, kind=KIND_OF_TYPE[kind])


@dataclass(slots=True)
class OnlineLookup:
    """Looks names up in Wikidata at most once per run each; stops asking once Wikidata is unreachable."""

    client: WikidataClient
    asked: set[tuple[str, str]] = field(default_factory=set)
    offline: bool = False

    def candidates(self, names: Iterable[str], language: str) -> list[KBEntity]:
        if self.offline:
            return []
        qids: list[str] = []
        try:
            for name in names:
                for lang in dict.fromkeys((language, "en")):
                    if (name, lang) in self.asked:
                        continue
                    self.asked.add((name, lang))
                    qids.extend(self.client.search(name, lang))
            return fetch_entities(self.client, list(dict.fromkeys(qids))) if qids else []
        except WikidataError as error:
            self.offline = True
            log.warning("Wikidata is unreachable (%s); continuing offline with the local knowledge base", error)
            return []
