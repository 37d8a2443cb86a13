"""A closed shift's Z report reaches the platform through the outbox: once, unchanged, after the shift's orders."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from kameng_desk.sync.errors import PlatformRefusedError
from kameng_desk.usecases.cash_shift import close_shift, open_shift, shift_report_payload, z_report_of
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_platform.db import make_engine
from kameng_platform.schema import shift_reports
from local_cache import outbox, staff


def test_the_z_report_is_uploaded_once_and_never_changes(desk, platform) -> None:
    store, engine = desk
    engine.sync_once()
    with store.transaction() as conn:
        cashier = staff.create(conn, "小李", "cashier", "1234")
    open_shift(store, staff_id=cashier.id, float_fen=20_000)
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine("qb10", 2)], cash_received_fen=None)
    z = close_shift(store, staff_id=cashier.id, counts={10000: 2, 1000: 1})  # 10 元 short of 220
    assert outbox.pending_count(store.conn()) == 2  # the sale and the report
    engine.sync_once()
    assert outbox.pending_count(store.conn()) == 0

    db = make_engine(platform.settings.db_url)
    with db.connect() as conn:
        rows = conn.execute(select(shift_reports)).all()
    db.dispose()
    assert len(rows) == 1
    row = rows[0]
    assert (row.shift_id, row.seq, row.float_fen, row.counted_fen, row.expected_fen) == (
        z.shift.id, z.seq, 20_000, 21_000, 20_000 + sale.order.total_fen)
    report = json.loads(row.report)
    assert report["sales_fen"] == sale.order.total_fen and report["first_number"] == sale.order.number

    client = engine.client()
    again = shift_report_payload(z_report_of(store.conn(), z.shift.id))
    assert client.put_shift_report(again)["status"] == "duplicate"  # a replay is harmless
    tampered = {**again, "counted_fen": again["counted_fen"] + 10_000}
    with pytest.raises(PlatformRefusedError) as refused:
        client.put_shift_report(tampered)
    assert refused.value.status == 409
