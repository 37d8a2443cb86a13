"""The routes' transactions (routes/deps.py, Services.in_transaction) begin and end in the route's own worker
thread. A FastAPI `yield` dependency holding them would take the SQLite write lock or a pooled PostgreSQL
connection in one worker thread and then wait for another to run the route: with more requests at once than
the server has worker threads (40), every worker waits for a lock or connection that a request waiting for a
worker holds (120 catalog reads stalled past the clients' 60 s timeout; this way they take about 1 s)."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import httpx

BURST = 120  # three times the threadpool


def test_a_burst_of_signed_reads_larger_than_the_threadpool_is_answered(harness) -> None:
    terminal = harness.pair()
    desks = [dataclasses.replace(terminal, http=httpx.Client(timeout=20)) for _ in range(BURST)]
    paths = ["/v1/catalog", "/v1/changes?cursor=0"]
    try:
        with ThreadPoolExecutor(BURST) as pool:
            replies = list(pool.map(lambda i: desks[i].request("GET", paths[i % 2]), range(BURST)))
    finally:
        for desk in desks:
            desk.http.close()
    assert [r.status_code for r in replies] == [200] * BURST
    assert all(r.json()["cursor"] > 0 for r in replies[::2])  # the catalog, seeded, with its feed head
