"""Print jobs move along their state machine and survive a restart."""

from __future__ import annotations

import pytest

from local_cache import Store, print_jobs
from local_cache.errors import InvalidTransitionError
from local_cache.print_jobs import JobReason


def test_job_lifecycle_and_restart(tmp_path) -> None:
    store = Store.open(tmp_path)
    with store.transaction() as conn:
        first = print_jobs.enqueue(conn, "card_slip", "counter", b"\x1b@SECRET-XYZ", order_id="o-1")
        second = print_jobs.enqueue(conn, "receipt", "counter", b"\x1b@receipt")
        assert print_jobs.next_queued(conn, "counter").id == first.id
        print_jobs.claim(conn, first.id)
        print_jobs.mark_failed(conn, first.id, JobReason("paper_out"), partly_printed=False)
        with pytest.raises(InvalidTransitionError):
            print_jobs.mark_done(conn, first.id)
        print_jobs.claim(conn, second.id)  # the process dies while this one prints
    assert "SECRET" not in repr(print_jobs.get(store.conn(), first.id))
    store.close()

    store = Store.open(tmp_path)
    with store.transaction() as conn:
        assert print_jobs.recover_interrupted(conn) == 1
        jobs = {j.id: j for j in print_jobs.open_jobs(conn)}
        assert jobs[first.id].state == "failed" and jobs[first.id].reason == JobReason("paper_out")
        assert jobs[second.id].state == "queued" and jobs[second.id].is_copy
        print_jobs.retry(conn, first.id)
        assert not print_jobs.get(conn, first.id).is_copy  # nothing of it was on paper
        print_jobs.claim(conn, first.id)
        print_jobs.mark_done(conn, first.id)
        print_jobs.cancel(conn, second.id)
        assert print_jobs.open_jobs(conn) == []
        done = print_jobs.get(conn, first.id)
        assert done.attempts == 2 and done.payload == b"\x1b@SECRET-XYZ"
    store.close()


def test_a_reason_is_a_code_and_its_fields_never_words(tmp_path) -> None:
    """What the panel words in the cashier's language: a message, in any language, is refused."""
    for code, fields in (("Paper out: load a new roll.", {}), ("缺纸", {}), ("unreachable", {"Where": "COM3"}),
                         ("unreachable", {"where": 9100})):
        with pytest.raises(ValueError, match="lower-case code"):
            JobReason(code, fields)
    store = Store.open(tmp_path)
    with store.transaction() as conn:
        job = print_jobs.enqueue(conn, "sale_receipt", "counter", b"slip")
        print_jobs.note_waiting(conn, "counter", JobReason("unreachable", {"where": "打印机 COM3"}))
        assert print_jobs.get(conn, job.id).reason == JobReason("unreachable", {"where": "打印机 COM3"})
        print_jobs.note_waiting(conn, "counter", JobReason("unreachable", {"where": "COM4"}))  # same code, new place
        assert print_jobs.get(conn, job.id).reason == JobReason("unreachable", {"where": "COM4"})
        print_jobs.note_waiting(conn, "counter", None)
        assert print_jobs.get(conn, job.id).reason is None
    store.close()
