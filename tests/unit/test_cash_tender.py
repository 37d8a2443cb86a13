"""The sane bounds of a cash tender, shared by the counter, the CLI and the tests (issue #15: a scanned code in
the cash field was once recorded as ¥6,901,234,567,890 received)."""

from __future__ import annotations

import pytest

from kameng_desk.records.money import MAX_OVERPAY_FEN, is_suspicious_change, looks_like_code
from kameng_desk.usecases.errors import CashOutOfRangeError
from kameng_desk.usecases.recording import check_cash_received
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, audit, codes, orders, outbox
from tests.factories import HF50, QB10, make_staff, seed_catalog


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=3)
    yield s
    s.close()


@pytest.mark.parametrize(("text", "is_code"), [
    ("6901234567890", True), ("69012345", True), ("12345678.00", True),  # EAN-13, EAN-8: scans
    ("1234567", False), ("100", False), ("100.50", False), ("￥50", False), ("", False), ("qb10", False),
])
def test_a_number_longer_than_any_cash_amount_is_a_code(text: str, is_code: bool) -> None:
    assert looks_like_code(text) is is_code


def test_bounds_of_cash_received() -> None:
    check_cash_received(6000, 6000 + MAX_OVERPAY_FEN)  # ten ¥100 notes too many: still taken
    with pytest.raises(CashOutOfRangeError) as raised:
        check_cash_received(6000, 6000 + MAX_OVERPAY_FEN + 1)
    assert (raised.value.total_fen, raised.value.received_fen) == (6000, 6000 + MAX_OVERPAY_FEN + 1)
    assert not is_suspicious_change(500, 10000)  # a ¥5 card paid with a ¥100 note: ¥95 change, normal
    assert not is_suspicious_change(3000, 13000)  # exactly one ¥100 note of change
    assert is_suspicious_change(3000, 13001) and is_suspicious_change(3000, 30000)


def test_a_scanned_number_as_cash_records_nothing(store) -> None:
    cashier = make_staff(store, "小李", "cashier", "1357")
    with pytest.raises(CashOutOfRangeError):
        sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 2)], cash_received_fen=690123456789000)
    conn = store.conn()
    assert codes.available_count(conn, QB10.id) == 3
    assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 0
    assert [e for e in audit.entries(conn) if e.action == "sale"] == []
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 2)], cash_received_fen=10000)
    assert orders.get(conn, sale.order.id).change_fen == 8000


def test_a_scanned_number_as_a_top_ups_cash_records_nothing(store) -> None:
    cashier = make_staff(store, "小李", "cashier", "1357")
    with pytest.raises(CashOutOfRangeError):
        record_topup(store, staff_id=cashier.id, product_id=HF50.id, account="13812345678",
                     cash_received_fen=690123456789000)
    conn = store.conn()
    assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 0
    assert outbox.pending_count(conn) == 0
    order = record_topup(store, staff_id=cashier.id, product_id=HF50.id, account="13812345678",
                         cash_received_fen=10000)
    assert order.change_fen == 5000
