"""Z reports of closed shifts, uploaded by the desk through its outbox: kept once, never changed."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.engine import Connection

from kameng_platform import clock
from kameng_platform.db import insert_once
from kameng_platform.errors import bad_request, conflict
from kameng_platform.models import ShiftReportIn
from kameng_platform.order_push import payload_hash
from kameng_platform.schema import shift_reports
from kameng_platform.terminals import Terminal


def store(conn: Connection, terminal: Terminal, shift_id: str, body: ShiftReportIn) -> dict:
    if body.shift_id != shift_id:
        raise bad_request("the shift id in the path and in the body differ")
    digest = payload_hash(body)
    key = (shift_reports.c.terminal_id == terminal.id) & (shift_reports.c.shift_id == shift_id)
    stored = conn.execute(select(shift_reports.c.payload_hash).where(key)).first()
    status = "duplicate"
    if stored is None:
        if insert_once(conn, shift_reports, terminal_id=terminal.id, shift_id=shift_id,
                       reseller_id=terminal.reseller_id, seq=body.seq, opened_at=body.opened_at,
                       closed_at=body.closed_at, float_fen=body.float_fen, expected_fen=body.expected_fen,
                       counted_fen=body.counted_fen,
                       report=json.dumps(body.report, ensure_ascii=False, sort_keys=True), payload_hash=digest,
                       received_at=clock.now()):
            status = "accepted"
        else:
            # A concurrent delivery of this report won the race: compare with what it stored.
            stored = conn.execute(select(shift_reports.c.payload_hash).where(key)).one()
    if stored is not None and stored.payload_hash != digest:
        raise conflict("This shift's Z report was already uploaded with different figures; a closed shift "
                       "never changes.")
    return {"shift_id": shift_id, "status": status, "difference_fen": body.counted_fen - body.expected_fen}
