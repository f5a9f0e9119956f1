"""How long an HTTP client waits before trying again, shared by the store and Wikidata clients."""

from __future__ import annotations

import random
import time


def wait_before_retry(attempt: int, backoff: float, retry_after: str | None, cap: float) -> None:
    """Exponential backoff with jitter, at least what the server's ``Retry-After`` (seconds) asks, at most ``cap``."""
    delay = backoff * (2**attempt) * (1 + random.random() / 4)
    if retry_after:
        try:
            delay = max(delay, float(retry_after))
        except ValueError:
            pass  # an HTTP date: the backoff alone decides
    time.sleep(min(delay, cap))
