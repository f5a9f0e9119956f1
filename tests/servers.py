"""Servers the tests run on 127.0.0.1: a real Oxigraph, and plain HTTP servers that misbehave on purpose."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """``oxigraph serve`` (from the PyPI package) on a free loopback port, on disk so it survives a restart."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
        self.process: subprocess.Popen | None = None

    def start(self) -> OxigraphServer:
        self.process = subprocess.Popen(
            [self.binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("oxigraph serve did not start within 30 s")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def triples_per_graph(self) -> dict[str, int]:
        response = requests.post(
            f"{self.url}/query",
            timeout=30,
            data="SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
        return {b["g"]["value"]: int(b["n"]["value"]) for b in response.json()["results"]["bindings"]}


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: object) -> None:
        # A client that gave up (the timeout tests) closes the socket before the answer is written;
        # printed, that traceback would land in whatever test captures stderr next.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Loopback:
    """A threaded HTTP server on a free loopback port, quiet, closed by the test."""

    server: _Server
    url: str

    def _start(self, handler: type[BaseHTTPRequestHandler]) -> None:
        handler.log_message = lambda *args: None  # type: ignore[method-assign]
        self.server = _Server(("127.0.0.1", free_port()), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class ScriptedServer(_Loopback):
    """An HTTP server whose every answer the test decides: status codes, headers, delays."""

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler, int], tuple[int, dict[str, str], bytes]]) -> None:
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                outer.requests.append((self.command, self.path, dict(self.headers)))
                status, headers, body = answer(self, len(outer.requests))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = _serve

        self._start(Handler)


class DrippingServer:
    """A server that answers one byte at a time, ``every`` seconds apart: in the headers or in the body."""

    def __init__(self, every: float, *, in_headers: bool = False, body: bytes = b"x" * 200) -> None:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        self.listener, self.every, self.in_headers, self.body = listener, every, in_headers, body
        self.url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        self.closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(client,), daemon=True).start()

    def _drip(self, client: socket.socket) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/turtle\r\nContent-Length: {len(self.body)}\r\n\r\n".encode()
        with client:
            try:
                client.recv(65536)
                if not self.in_headers:
                    client.sendall(head)
                for byte in (head if self.in_headers else b"") + self.body:
                    if self.closed.wait(self.every):
                        return
                    client.sendall(bytes([byte]))
            except OSError:
                return  # the client gave up: what the tests want

    def close(self) -> None:
        self.closed.set()
        self.listener.close()


class DyingProxy(_Loopback):
    """In front of a real store: passes requests on, and at the ``dies_at``-th write (a SPARQL Update, or
    quads sent to the Graph Store) passes it on, lets the store apply it, then drops the connection
    unanswered and stops listening (a crash after the commit)."""

    def __init__(self, upstream: str, dies_at: int) -> None:
        self.updates = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() in {"content-type", "accept"}}
                answer = requests.request(self.command, upstream + self.path, data=body, headers=headers, timeout=60)
                if self.path.startswith(("/update", "/store")):
                    outer.updates += 1
                    if outer.updates == dies_at:
                        outer.server.shutdown()  # from this handler's thread: the serving loop ends,
                        outer.server.socket.close()  # and then nobody can connect any more
                        self.close_connection = True
                        return  # applied upstream, never answered
                self.send_response(answer.status_code)
                for name in ("Content-Type",):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = _serve

        self._start(Handler)
