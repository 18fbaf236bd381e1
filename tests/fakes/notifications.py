"""How the provider fakes push change notifications: queued, delivered by a thread over real HTTP to the
receiver's URL, retried on 5xx with backoff, a share dropped on purpose (seeded), every attempt logged.

Providers deliver asynchronously and unreliably; a test waits for the queue to drain (`wait_idle`) instead of
assuming the notification arrived when the change was made.
"""

from __future__ import annotations

import json
import queue
import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

RETRIED = frozenset({500, 502, 503, 504})


@dataclass
class Delivery:
    url: str
    headers: dict[str, str]
    body: bytes = b""
    attempts: list[int | None] = field(default_factory=list)  # status per attempt; None: no answer
    dropped: bool = False


class Notifier:
    def __init__(
        self, *, drop_rate: float = 0.0, seed: int = 7, retries: int = 4, timeout: float = 3.0, senders: int = 4
    ) -> None:
        self.drop_rate = drop_rate
        self.rng = random.Random(seed)
        self.retries = retries
        self.timeout = timeout
        self.log: list[Delivery] = []
        self._queue: queue.Queue[Delivery] = queue.Queue()
        self._lock = threading.Lock()
        # Providers deliver several notifications at once; each sender thread posts one at a time.
        self.senders = senders
        self._threads: list[threading.Thread] = []

    def send(self, url: str, headers: dict[str, str], payload: dict | None = None) -> None:
        """Queues one notification; with `drop_rate` it may be lost, as the providers warn."""
        body = json.dumps(payload).encode() if payload is not None else b""
        delivery = Delivery(url, headers, body)
        with self._lock:
            self.log.append(delivery)
            if self.drop_rate and self.rng.random() < self.drop_rate:
                delivery.dropped = True
                return
            while len(self._threads) < self.senders:
                thread = threading.Thread(target=self._deliver_forever, daemon=True, name="fake-notifier")
                thread.start()
                self._threads.append(thread)
        self._queue.put(delivery)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Blocks until every queued notification was answered (or given up); call it through a thread."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                raise TimeoutError("notifications still being delivered")
            time.sleep(0.005)

    def delivered(self) -> list[Delivery]:
        return [d for d in self.log if not d.dropped and d.attempts and d.attempts[-1] and d.attempts[-1] < 300]

    def _deliver_forever(self) -> None:
        while True:
            delivery = self._queue.get()
            try:
                self._deliver(delivery)
            finally:
                self._queue.task_done()

    def _deliver(self, delivery: Delivery) -> None:
        for attempt in range(self.retries + 1):
            status = post(delivery.url, delivery.headers, delivery.body, timeout=self.timeout)
            delivery.attempts.append(status)
            if status not in RETRIED and status is not None:
                return
            time.sleep(0.01 * 2**attempt)


def post(url: str, headers: dict[str, str], body: bytes, *, timeout: float) -> int | None:
    """One POST; the status, or None when nothing answered in time."""
    status, _, _ = post_for_reply(url, headers, body, timeout=timeout)
    return status


def post_for_reply(url: str, headers: dict[str, str], body: bytes, *, timeout: float) -> tuple[int | None, str, str]:
    """One POST; (status, content type, body text), with status None when nothing answered in time."""
    request = urllib.request.Request(url, data=body, method="POST", headers={"User-Agent": "APIs-Google", **headers})
    if body:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode(errors="replace")
    except (OSError, TimeoutError):
        return None, "", ""
