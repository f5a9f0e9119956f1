"""Loading article graphs into a triple store, and querying it.

Every article is one named graph, named by the article's IRI. Loading an article again replaces
its graph whole: in the embedded store (pyoxigraph, a directory on disk) by dropping and loading
it in one update; on a server, by one SPARQL 1.1 Update request per batch of articles (``DROP
SILENT GRAPH`` then ``INSERT DATA`` for each), which Oxigraph, Fuseki and GraphDB apply atomically,
or one Graph Store Protocol ``PUT`` per article. A request that fails leaves the graphs as they
were, so loading again is always safe.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, Unpack, cast
from urllib.parse import urlencode

import pyoxigraph as ox
import requests

from kg.backoff import RetryingSession, Unanswered
from kg.choices import Flavor, Method
from kg.endpoint import Endpoint, basic_credentials, summary
from kg.errors import GraphUnreadable, StoreError, StoreNoAnswer, StoreUnreachable, UsageError
from kg.rdf.graph import ArticleGraph, Loadable
from kg.rdf.io import first_line, read_quads

SCHEMA_NEWS_ARTICLE = ox.NamedNode("https://schema.org/NewsArticle")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DEFAULT_STORE = Path(".kg/store")


def read_article_graphs(path: Path) -> list[ArticleGraph]:
    """The article graphs in a file: a Turtle file is one article; N-Quads and TriG name theirs."""
    by_graph: dict[object, list[ox.Quad]] = {}
    for quad in read_quads(path):
        by_graph.setdefault(quad.graph_name, []).append(quad)
    if not by_graph:
        raise GraphUnreadable(f"{path}: no RDF triples in it; nothing to load")
    graphs = []
    for name, triples in by_graph.items():
        if isinstance(name, ox.NamedNode):
            graphs.append(ArticleGraph.from_triples(name.value, triples, path))
            continue
        if isinstance(name, ox.BlankNode):
            raise GraphUnreadable(f"{path}: a graph named by a blank node ({name}); kg load needs IRIs to name graphs")
        articles = {t.subject for t in triples if t.predicate == RDF_TYPE and t.object == SCHEMA_NEWS_ARTICLE}
        if len(articles) != 1:
            raise GraphUnreadable(
                f"{path}: {len(articles)} schema:NewsArticle nodes in the default graph; "
                "kg load needs exactly one to name the graph (or N-Quads/TriG with named graphs)"
            )
        article = next(iter(articles))
        if not isinstance(article, ox.NamedNode):
            kind = "a quoted triple" if isinstance(article, ox.Triple) else "a blank node"
            raise GraphUnreadable(
                f"{path}: the schema:NewsArticle node is {kind}; kg load needs an IRI to name the graph"
            )
        graphs.append(ArticleGraph.from_triples(article.value, triples, path))
    return graphs


@dataclass(slots=True)
class LoadReport:
    """Each graph a load was given, in one of three lists (see :func:`load`), with the reason for the last two."""

    loaded: list[Loadable] = field(default_factory=list)
    failed: list[tuple[Loadable, str]] = field(default_factory=list)
    unknown: list[tuple[Loadable, str]] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(len(g) for g in self.loaded)


class EmbeddedStore:
    """A pyoxigraph store in a directory: nothing to run, one process at a time.

    Opened at first use (:meth:`open`), so a store that is only named (a dry run) is never created.
    """

    def __init__(self, path: Path = DEFAULT_STORE) -> None:
        self.path = path
        self.store: ox.Store | None = None
        self.closed = False

    @property
    def shown(self) -> str:
        return str(self.path)

    def open(self) -> ox.Store:
        if self.closed:
            raise StoreError(f"the store in {self.path} is closed")
        if self.store is None:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
            except OSError as exc:
                raise StoreError(
                    f"cannot open the store in {self.path} ({exc}); is another kg process using it?"
                ) from exc
        return self.store

    def close(self) -> None:
        """Release the directory's lock (RocksDB holds it until the store object is dropped)."""
        self.store = None
        self.closed = True

    def opened(self) -> ox.Store:
        return self.open()

    def replace(self, graphs: Sequence[Loadable], *, checked: bool = False) -> None:
        """Each graph in whole: the new ones by the store's bulk loader, one N-Quads load of the batch
        (written as one set of sorted files, well under the loader's chunk of a million quads, so a
        batch goes in together), one already there by one update that drops and inserts it (one
        transaction). ``checked``: every line is one Oxigraph's strict parser takes (as :mod:`kg.load`
        reads them), so the loader does not check its IRIs again (a fifth of its work)."""
        store = self.opened()
        last = {g.name: g for g in graphs}  # an article given twice: the later one is what stays
        new = {name for name in last if not store.contains_named_graph(ox.NamedNode(name))}
        if new:
            try:
                store.bulk_load(
                    b"".join(last[name].nquads() for name in new), format=ox.RdfFormat.N_QUADS, lenient=checked
                )
            except (SyntaxError, ValueError) as error:
                raise StoreError(f"the store refused the batch: {first_line(error)}") from None
            except OSError as error:  # the disk is full, say: the store writes whole files, or none
                raise StoreError(f"the store in {self.path} could not write the batch ({first_line(error)})") from None
        try:
            for name, graph in last.items():
                if name not in new:
                    body = graph.ntriples().decode("utf-8")
                    store.update(
                        f"DROP SILENT GRAPH <{graph.name}> ; INSERT DATA {{ GRAPH <{graph.name}> {{ {body} }} }}"
                    )
            if len(new) < len(last):
                store.flush()
        except OSError as error:
            raise StoreError(f"the store in {self.path} could not write an update ({first_line(error)})") from None

    def query(self, sparql: str) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
        store = self.opened()
        try:
            return store.query(sparql)
        except SyntaxError as exc:
            raise UsageError(f"the query does not parse: {exc}") from exc


class _RequestOptions(TypedDict, total=False):
    """What :meth:`RemoteStore.request` passes on to ``requests``."""

    params: dict[str, str]
    data: bytes
    headers: dict[str, str]


@dataclass(slots=True)
class RemoteStore:
    """Any SPARQL 1.1 store over HTTP: Update (and the Graph Store Protocol) to load, Query to read.

    ``endpoint`` is checked when the store is made (:class:`kg.endpoint.Endpoint`); nothing kg prints
    holds a password, a token or a query-string value, not even what the server sends back.
    """

    endpoint: str
    flavor: Flavor | str = Flavor.oxigraph
    query_path: str | None = None  # None: the flavor's path (Flavor.paths)
    update_path: str | None = None
    gsp_path: str | None = None
    user: str | None = None
    password: str | None = None
    token: str | None = None
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5
    http: RetryingSession = field(init=False)
    target: Endpoint = field(init=False)

    def open(self) -> None:
        """Nothing to open: each request connects (kept alive by the session)."""

    def close(self) -> None:
        self.http.close()

    def __post_init__(self) -> None:
        self.target = Endpoint.parse(self.endpoint)
        self.flavor = Flavor(self.flavor)
        query, update, gsp = self.flavor.paths
        self.query_path = query if self.query_path is None else self.query_path
        self.update_path = update if self.update_path is None else self.update_path
        self.gsp_path = gsp if self.gsp_path is None else self.gsp_path
        self.user = self.user or self.target.user or os.environ.get("KG_ENDPOINT_USER")
        self.password = self.password or self.target.password or os.environ.get("KG_ENDPOINT_PASSWORD")
        self.token = self.token or os.environ.get("KG_ENDPOINT_TOKEN")
        self.http = RetryingSession(self.timeout, self.retries, self.backoff, cap=60.0)

    @property
    def shown(self) -> str:
        """The endpoint as it may be printed: without any user:password or query-string value in it."""
        return self.target.shown()

    @property
    def secrets(self) -> tuple[str, ...]:
        """Everything that must never be printed, whatever the server echoes back."""
        found = [*self.target.secrets, self.password or "", self.token or ""]
        if self.user:
            found.append(basic_credentials(self.user, self.password or ""))
        return tuple(s for s in found if s)

    def headers(self, **extra: str) -> dict[str, str]:
        headers = {"User-Agent": "kg (https://github.com/; knowledge graphs from news)", **extra}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.user:
            headers["Authorization"] = f"Basic {basic_credentials(self.user, self.password or '')}"
        return headers

    def replace(self, graphs: Sequence[Loadable], method: Method | str = Method.update) -> None:
        """All of ``graphs`` in one atomic request (``update``), or one ``PUT`` each (``gsp``), or (``nquads``)
        those the store does not hold yet in one N-Quads ``POST`` and the others in one update."""
        if Method(method) is Method.nquads:
            last = {g.name: g for g in graphs}  # an article given twice: the later one is what stays
            try:
                held = {g.name for g in self.held(list(last.values()))}
            except StoreNoAnswer as error:  # only asked, nothing sent to write: not loaded, not "perhaps"
                raise StoreError(str(error)) from None
            if held:
                self.replace([g for name, g in last.items() if name in held], Method.update)
            new = [g for name, g in last.items() if name not in held]
            if new:
                self.request(
                    "POST",
                    self.gsp_path or "",
                    data=b"".join(g.nquads() for g in new),
                    headers=self.headers(**{"Content-Type": "application/n-quads"}),
                )
            return
        if Method(method) is Method.gsp:
            for graph in graphs:
                self.request(
                    "PUT",
                    self.gsp_path or "",
                    params={"graph": graph.name},
                    data=graph.ntriples(),
                    headers=self.headers(**{"Content-Type": "application/n-triples"}),
                )
            return
        body = " ;\n".join(
            f"DROP SILENT GRAPH <{g.name}> ;\nINSERT DATA {{ GRAPH <{g.name}> {{\n{g.ntriples().decode('utf-8')}}} }}"
            for g in graphs
        )
        data, kind = self.encoded("update", body)
        self.request("POST", self.update_path or "", data=data, headers=self.headers(**{"Content-Type": kind}))

    def query(self, sparql: str, accept: str) -> requests.Response:
        data, kind = self.encoded("query", sparql)
        return self.request(
            "POST", self.query_path or "", data=data, headers=self.headers(**{"Content-Type": kind, "Accept": accept})
        )

    def encoded(self, operation: str, text: str) -> tuple[bytes, str]:
        """A query or update as the body of a POST: as it is, or as a form field for stores that want one."""
        if Flavor(self.flavor).form:
            return urlencode({operation: text}).encode("ascii"), "application/x-www-form-urlencoded"
        return text.encode("utf-8"), f"application/sparql-{operation}; charset=utf-8"

    def results(self, sparql: str, *, ask: bool = False) -> dict[str, Any]:
        """A SELECT (or, with ``ask``, an ASK) query's answer in the SPARQL JSON results format, checked to be one."""
        response = self.query(sparql, "application/sparql-results+json")
        try:
            data = response.json()
        except ValueError:
            data = None
        if not _is_results(data) or (isinstance(data, dict) and ask != ("boolean" in data)):
            raise self.unusable(response, "SPARQL results" if not ask else "SPARQL results (an ASK boolean)")
        return cast(dict[str, Any], data)

    def graph(self, sparql: str) -> list[ox.Triple]:
        """A CONSTRUCT or DESCRIBE query's triples, parsed (so an answer that is not RDF is an error, not output)."""
        accept = "text/turtle, application/n-triples;q=0.9"
        response = self.query(sparql, accept)
        kind = _content_type(response)
        rdf_format = _GRAPH_FORMATS.get(kind)
        if rdf_format is None:
            raise self.unusable(response, "an RDF graph (Turtle or N-Triples)")
        try:
            return [q.triple for q in ox.parse(response.content, format=rdf_format)]
        except (SyntaxError, ValueError) as error:
            raise self.unusable(response, f"an RDF graph ({first_line(error)})") from None

    def missing(self, graphs: Sequence[Loadable]) -> list[Loadable]:
        """Which of ``graphs`` the store does not hold: after an update said yes, the store is asked."""
        held = {g.name for g in self.held(graphs)}
        return [g for g in graphs if g.name not in held]

    def held(self, graphs: Sequence[Loadable]) -> list[Loadable]:
        """Which of ``graphs`` the store holds (a graph with at least one triple)."""
        names = " ".join(f"<{g.name}>" for g in graphs)
        data = self.results(f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?s ?p ?o }} }}")
        found = {b.get("g", {}).get("value") for b in data.get("results", {}).get("bindings", [])}
        return [g for g in graphs if g.name in found]

    def unusable(self, response: requests.Response, expected: str) -> StoreError:
        kind = _content_type(response) or "no content type"
        return StoreError(
            f"{self.target.shown(self.query_path or '')}: HTTP {response.status_code} with {kind}, "
            f"not {expected}: {self.said(response)}; is --endpoint (or --flavor, --query-path) right?"
        )

    def said(self, response: requests.Response) -> str:
        """What a server answered, as kg may print it: short, one line, secrets redacted."""
        return summary(response.text, self.secrets)

    def request(self, method: str, path: str, **kwargs: Unpack[_RequestOptions]) -> requests.Response:
        """Send to ``path`` under the endpoint, retrying with backoff on connection errors, timeouts, 429 and 5xx."""
        where = self.target.shown(path)
        params = {**dict(self.target.params), **kwargs.pop("params", {})}

        def accept(response: requests.Response) -> requests.Response:
            if response.status_code in (401, 403):
                raise StoreError(
                    f"{where}: the store refused the credentials (HTTP {response.status_code}); "
                    "check --user/--password or --token (or KG_ENDPOINT_* variables)"
                )
            if response.status_code >= 400:
                raise StoreError(f"{where}: HTTP {response.status_code}: {self.said(response)}")
            return response

        try:
            return self.http.request(method, self.target.url(path), accept, params=params, **kwargs)
        except Unanswered as failed:
            if failed.response is not None:
                error: StoreError = StoreError(
                    f"{where}: HTTP {failed.response.status_code} after {failed.tries} tries: "
                    f"{self.said(failed.response)}"
                )
            elif failed.timed_out:
                error = StoreNoAnswer(
                    f"{where}: no answer within {self.timeout:g} s after {failed.tries} tries; "
                    "is the store overloaded? raise --timeout"
                )
            elif failed.sent:
                error = StoreNoAnswer(
                    f"{where}: the connection dropped before an answer came, after {failed.tries} tries; "
                    "is the store running?"
                )
            else:
                error = StoreUnreachable(
                    f"{where}: cannot connect after {failed.tries} tries; is the store running and the URL right?"
                )
            if failed.sent and not isinstance(error, StoreNoAnswer):
                error = StoreNoAnswer(f"{error} (an earlier try got no answer)")
            raise error from None


_GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples as old stores label it
}


def _content_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _is_results(data: object) -> bool:
    """SPARQL 1.1 JSON results: a boolean (ASK), or head.vars and results.bindings of typed terms (SELECT)."""
    if not isinstance(data, dict):
        return False
    if "boolean" in data:
        return isinstance(data["boolean"], bool)
    head, results = data.get("head"), data.get("results")
    if not isinstance(head, dict) or not isinstance(results, dict):
        return False
    variables, bindings = head.get("vars", []), results.get("bindings")
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        return False
    if not isinstance(bindings, list):
        return False
    return all(
        isinstance(row, dict)
        and all(
            isinstance(term, dict) and isinstance(term.get("type"), str) and isinstance(term.get("value"), str)
            for term in row.values()
        )
        for row in bindings
    )


def open_store(
    store: Path = DEFAULT_STORE,
    endpoint: str | None = None,
    *,
    flavor: Flavor | str = Flavor.oxigraph,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
    timeout: float = 30.0,
    retries: int = 3,
    existing: bool = False,
    query_path: str | None = None,
    update_path: str | None = None,
    gsp_path: str | None = None,
) -> EmbeddedStore | RemoteStore:
    """The server at ``endpoint`` when given (paths under it: the flavor's, unless given), else the embedded
    store in ``store`` (which, with ``existing``, must hold something already: a query of a store never
    loaded is a mistake)."""
    if endpoint is not None:
        return RemoteStore(
            endpoint,
            flavor,
            query_path,
            update_path,
            gsp_path,
            user=user,
            password=password,
            token=token,
            timeout=timeout,
            retries=retries,
        )
    if any(path is not None for path in (query_path, update_path, gsp_path)):
        raise UsageError("--query-path, --update-path and --gsp-path are paths under --endpoint: give --endpoint")
    if existing and not store.exists():
        raise UsageError(f"no store in {store}; load graphs first (kg load …) or pass --store/--endpoint")
    return EmbeddedStore(store)


BULK_QUADS = 400_000  # what one bulk load of an embedded store takes at most, in whole articles
SERVER_BATCH = 50  # articles a request to a server


def batches(graphs: Sequence[Loadable], size: int | None, quads: int | None = None) -> Iterator[list[Loadable]]:
    """The graphs in order, ``size`` at a time; with ``size`` None, as many whole graphs at a time as
    hold at most ``quads`` quads (:data:`BULK_QUADS`; a larger graph alone)."""
    quads = BULK_QUADS if quads is None else quads
    group: list[Loadable] = []
    held = 0
    for graph in graphs:
        if group and (len(group) == size if size is not None else held + len(graph) > quads):
            yield group
            group, held = [], 0
        group.append(graph)
        held += len(graph)
    if group:
        yield group


def load(
    store: EmbeddedStore | RemoteStore,
    graphs: Iterable[Loadable],
    *,
    batch: int | None = None,
    method: Method | str | None = None,
    progress: Callable[[int], None] | None = None,
    verify: bool = True,
    checked: bool = False,
) -> LoadReport:
    """Replace each article's graph, a batch per request (a Graph Store ``PUT`` per graph): ``batch``
    articles, by default :data:`SERVER_BATCH` to a server and, to an embedded store, whole articles up
    to :data:`BULK_QUADS` quads a bulk load (each bulk load adds a set of files that the store then
    merges with the ones before: fewer, larger loads are less of that work; the README has figures).

    Each graph ends in one of three lists: loaded (the store said so and, with ``verify``, a query
    finds the graph there), failed (it did not take it: an error answer, no connection, or a yes
    the query belies), unknown (the request went out and no answer came back, or a yes the store
    cannot back with a SPARQL answer). A batch that fails is reported and the next one still goes,
    unless the store cannot be reached at all: then the rest are not sent, and fail with that reason.
    ``method`` None is :func:`default_method`'s; ``checked`` is :meth:`EmbeddedStore.replace`'s.
    """
    method = default_method(store) if method is None else Method(method)
    if method is not Method.update and isinstance(store, RemoteStore) and store.gsp_path is None:
        raise UsageError(f"{Flavor(store.flavor).value} has no Graph Store endpoint: use --method update or --gsp-path")
    if method is Method.nquads and isinstance(store, RemoteStore) and store.flavor not in _QUAD_STORES:
        raise UsageError(
            f"--method nquads needs a store that loads N-Quads into its dataset in one transaction "
            f"({', '.join(f.value for f in _QUAD_STORES)}); use --method update"
        )
    report = LoadReport()
    store.open()  # a store that cannot be opened fails the load once, not each batch
    pending = list(graphs)
    size = 1 if method is Method.gsp else batch  # PUTs are atomic one graph at a time
    if size is None and isinstance(store, RemoteStore):
        size = SERVER_BATCH
    start = 0
    for group in batches(pending, size):
        try:
            if isinstance(store, RemoteStore):
                store.replace(group, method)
                if verify:
                    _confirm(store, group, report)
                else:
                    report.loaded.extend(group)
            else:
                store.replace(group, checked=checked)
                report.loaded.extend(group)
        except StoreUnreachable as error:
            report.failed.extend((graph, str(error)) for graph in pending[start:])
            if progress is not None:
                progress(len(pending) - start)
            break
        except StoreNoAnswer as error:
            report.unknown.extend((graph, str(error)) for graph in group)
        except StoreError as error:
            report.failed.extend((graph, str(error)) for graph in group)
        if progress is not None:
            progress(len(group))
        start += len(group)
    return report


_QUAD_STORES = (Flavor.oxigraph, Flavor.fuseki)


def default_method(store: EmbeddedStore | RemoteStore) -> Method:
    """``nquads`` for an Oxigraph server (its own loader: 1,000 articles in 1.1x the time of one POST of
    the file, against 1.6x by SPARQL Update, which it parses triple by triple), ``update`` elsewhere
    (any SPARQL 1.1 store; Fuseki takes ``nquads`` too, asked for)."""
    if isinstance(store, RemoteStore) and store.flavor is Flavor.oxigraph and store.gsp_path is not None:
        return Method.nquads
    return Method.update


def _confirm(store: RemoteStore, group: list[Loadable], report: LoadReport) -> None:
    """Sort a batch the store said yes to by what a query of the store finds."""
    try:
        absent = store.missing(group)
    except (StoreUnreachable, StoreNoAnswer):
        absent = []  # the store said yes and cannot be asked now: its yes stands
    except StoreError as error:
        report.unknown.extend((graph, f"the store said yes, but cannot be asked whether: {error}") for graph in group)
        return
    report.loaded.extend(g for g in group if g not in absent)
    report.failed.extend(
        (graph, f"{store.shown}: the store said yes, but does not hold the graph; is --endpoint right?")
        for graph in absent
    )
