"""Z reports uploaded at the same instant by a retrying desk: one is kept, every delivery gets an answer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

ROUNDS, COPIES = 6, 8


def report(n: int, counted_fen: int = 50_000) -> dict:
    return {"shift_id": f"shift-{n:04d}", "seq": n + 1, "opened_at": "2026-11-25T08:00:00Z",
            "closed_at": "2026-11-25T20:00:00Z", "float_fen": 50_000, "expected_fen": 50_000,
            "counted_fen": counted_fen, "report": {"sales": n}}


def test_identical_uploads_at_the_same_instant_are_one_report(harness) -> None:
    terminal = harness.pair()
    work = [report(n) for n in range(ROUNDS) for _ in range(COPIES)]
    with ThreadPoolExecutor(max_workers=COPIES) as pool:
        replies = list(pool.map(lambda body: terminal.request("PUT", f"/v1/shift-reports/{body['shift_id']}", body),
                                work))
    assert [r.status_code for r in replies] == [200] * len(work), [r.text for r in replies if r.status_code != 200]
    statuses: dict[str, list[str]] = {}
    for reply in replies:
        statuses.setdefault(reply.json()["shift_id"], []).append(reply.json()["status"])
    assert {shift: sorted(s) for shift, s in statuses.items()} == {
        f"shift-{n:04d}": ["accepted"] + ["duplicate"] * (COPIES - 1) for n in range(ROUNDS)}


def test_different_figures_at_the_same_instant_keep_the_first_and_refuse_the_other(harness) -> None:
    terminal = harness.pair()
    work = [report(n, counted_fen=50_000 + k % 2) for n in range(ROUNDS) for k in range(COPIES)]
    with ThreadPoolExecutor(max_workers=COPIES) as pool:
        replies = list(pool.map(lambda body: terminal.request("PUT", f"/v1/shift-reports/{body['shift_id']}", body),
                                work))
    assert {r.status_code for r in replies} <= {200, 409}
    for n in range(ROUNDS):
        kept = {r.json()["difference_fen"] for r, body in zip(replies, work, strict=True)
                if body["shift_id"] == f"shift-{n:04d}" and r.status_code == 200}
        assert len(kept) == 1  # whichever figures came first; the other version is refused, never both
