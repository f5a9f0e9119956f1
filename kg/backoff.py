"""One retrying HTTP session, shared by the store and Wikidata clients.

:class:`RetryingSession` sends a request and asks again, with exponential backoff and jitter (at
least what a ``Retry-After`` asks), after a connection error, a timeout, HTTP 429 or 5xx, or an
answer the caller's ``accept`` says is worth asking for again (:class:`AskAgain`: Wikidata's
maxlag). When the tries run out it raises :class:`Unanswered`; each client turns that into its own
error with its own message.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import requests
import urllib3

T = TypeVar("T")


class AskAgain(Exception):
    """Raised by ``accept``: this answer is not usable yet; ask again (after ``retry_after`` seconds, if given)."""

    def __init__(self, reason: str, retry_after: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.retry_after = reason, retry_after


class Unanswered(Exception):
    """Every try failed: ``error`` (no answer), ``response`` (429 or 5xx) or ``again`` (the last :class:`AskAgain`).

    ``sent``: some try may have reached the server without its answer reaching us (a read timeout, a
    dropped connection), so what the request asked may have been done; False when no connection was
    ever made or every try was answered.
    """

    def __init__(
        self,
        tries: int,
        *,
        error: requests.RequestException | None = None,
        response: requests.Response | None = None,
        again: AskAgain | None = None,
        sent: bool = False,
    ) -> None:
        super().__init__(f"no usable answer after {tries} tries")
        self.tries, self.error, self.response, self.again, self.sent = tries, error, response, again, sent

    @property
    def timed_out(self) -> bool:
        return isinstance(self.error, requests.Timeout)


def never_sent(error: requests.RequestException) -> bool:
    """The request never left: no connection could be made (refused, no route, name not found, connect timeout)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = error.args[0] if error.args else None
    reason = getattr(reason, "reason", reason)  # a MaxRetryError wraps what went wrong
    return isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError)


def wait_before_retry(attempt: int, backoff: float, retry_after: str | None, cap: float) -> None:
    """Exponential backoff with jitter, at least what the server's ``Retry-After`` (seconds) asks, at most ``cap``."""
    delay = backoff * (2**attempt) * (1 + random.random() / 4)
    if retry_after:
        try:
            delay = max(delay, float(retry_after))
        except ValueError:
            pass  # an HTTP date: the backoff alone decides
    time.sleep(min(delay, cap))


@dataclass(slots=True)
class RetryingSession:
    """A ``requests`` session that retries; ``retries`` more tries after the first."""

    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5
    cap: float = 60.0  # the longest wait between two tries, in seconds
    session: requests.Session = field(default_factory=requests.Session)

    def request(self, method: str, url: str, accept: Callable[[requests.Response], T], **kwargs: Any) -> T:
        """``accept(response)`` of the first answer that is neither 429 nor 5xx and that ``accept`` takes."""
        sent = False
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self.send(method, url, **kwargs)
            except (requests.Timeout, requests.ConnectionError) as exc:  # Timeout first: some are both
                sent = sent or not never_sent(exc)
                if last:
                    raise Unanswered(attempt + 1, error=exc, sent=sent) from exc
                wait_before_retry(attempt, self.backoff, None, self.cap)
                continue
            except requests.RequestException as exc:  # an URL requests cannot send: asking again will not help
                raise Unanswered(attempt + 1, error=exc, sent=sent) from exc
            if response.status_code == 429 or response.status_code >= 500:
                if last:
                    raise Unanswered(attempt + 1, response=response, sent=sent)
                wait_before_retry(attempt, self.backoff, response.headers.get("Retry-After"), self.cap)
                continue
            try:
                return accept(response)
            except AskAgain as again:
                if last:
                    raise Unanswered(attempt + 1, again=again, sent=sent) from again
                wait_before_retry(attempt, self.backoff, again.retry_after, self.cap)
        raise AssertionError("unreachable")

    def send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One try, its whole answer (headers and body) within ``timeout`` seconds, not just each read.

        ``requests`` bounds each read, so a server dripping a byte a second holds it forever; here the
        try runs in a thread and is given up at the deadline (its socket shut so the thread ends too).
        """
        done: dict[str, Any] = {}

        def run() -> None:
            try:
                # connecting gives up first, so a store that cannot be reached is told from one that went quiet
                timeout = (self.timeout * 0.9, self.timeout)
                response = self.session.request(method, url, timeout=timeout, stream=True, **kwargs)
                done["response"] = response
                response.content  # noqa: B018 -- reads the body, within the deadline
            except BaseException as exc:  # handed to the caller's thread
                done["error"] = exc

        worker = threading.Thread(target=run, name="kg-http", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            _shut(done.get("response"))
            raise requests.ReadTimeout(f"no whole answer within {self.timeout:g} s")
        if "error" in done:
            raise done["error"]
        return cast(requests.Response, done["response"])

    def close(self) -> None:
        self.session.close()


def _shut(response: requests.Response | None) -> None:
    """Shut the socket a given-up answer is still read from, so the thread reading it ends now."""
    connection = getattr(getattr(response, "raw", None), "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed
