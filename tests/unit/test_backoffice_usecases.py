"""Back-office use cases without Qt: stock and thresholds, restock in steps, top-up refunds, frozen Z reports,
order detail."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from kameng_desk.demo import start_demo
from kameng_desk.sync.errors import OfflineError
from kameng_desk.usecases import history, refunds, stock
from kameng_desk.usecases.cash_shift import (
    close_shift,
    closed_shifts,
    open_shift,
    print_z_copy,
    status,
    z_report_of,
)
from kameng_desk.usecases.errors import NotOwnerError
from kameng_desk.usecases.handover import reveal_codes
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, audit, catalog, codes, orders
from local_cache.errors import NotFoundError
from tests.factories import HF50, QB10, WY50, make_staff, seed_catalog


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=8)
    yield s
    s.close()


def test_stock_overview_lists_products_in_natural_order(tmp_path) -> None:
    """Q币10元 before Q币100元 (by characters, 100 sorted first), as the counter's tiles are."""
    store = Store.open(tmp_path)
    q100 = replace(QB10, id="p-qb100", name="Q币100元", barcode=None, sort=0)
    seed_catalog(store, stock=1, products=(q100, QB10, WY50))
    assert [line.name for line in stock.overview(store.conn()).lines] == ["Q币10元", "Q币100元", "网易一卡通50元"]
    store.close()


def test_stock_overview_counts_states_and_flags_low(store) -> None:
    owner = make_staff(store)
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 3)])
    with store.transaction() as conn:
        sold = codes.for_order(conn, sale.order.id)
        codes.revoke(conn, sold[0].id)  # sold -> after-sales flag
        codes.revoke(conn, "p-wy50-code-0")  # available -> quarantined
    stock.set_threshold(store, product_id=QB10.id, threshold=6, staff_id=owner.id)
    view = stock.overview(store.conn())
    lines = {line.product_id: line for line in view.lines}
    assert set(lines) == {QB10.id, WY50.id}  # top-ups hold no codes
    qb, wy = lines[QB10.id], lines[WY50.id]
    assert (qb.available, qb.sold, qb.after_sales, qb.threshold, qb.low) == (5, 3, 1, 6, True)
    assert (wy.available, wy.quarantined, wy.threshold, wy.low) == (7, 1, 5, False)
    assert [line.product_id for line in view.low] == [QB10.id]
    assert [(c.code_id, c.state) for c in view.quarantined] == [("p-wy50-code-0", "quarantined")]
    flagged = view.after_sales[0]
    assert flagged.order_number == sale.order.number and flagged.card_no_tail == "…" + sold[0].card_no[-4:]
    assert sold[0].card_secret not in repr(view)
    # The threshold is the product's own (the alert and the counter's badge read it), and the change is audited.
    assert catalog.get(store.conn(), QB10.id).low_stock_threshold == 6
    entry = audit.entries(store.conn(), limit=1)[0]
    assert (entry.action, entry.subject, entry.detail) == ("stock_threshold", QB10.id, {"from": 5, "to": 6})


def test_bad_thresholds_and_restock_sizes_refused(store) -> None:
    owner = make_staff(store)
    for bad in (-1, 10_001, 2.5, True):
        with pytest.raises(ValueError):
            stock.set_threshold(store, product_id=QB10.id, threshold=bad, staff_id=owner.id)
    with pytest.raises(NotFoundError):
        stock.set_threshold(store, product_id="nope", threshold=3, staff_id=owner.id)
    assert catalog.get(store.conn(), QB10.id).low_stock_threshold == 5
    assert stock.restock_steps(25) == [10, 10, 5] and stock.restock_steps(10) == [10]
    for bad in (0, -3, 501):
        with pytest.raises(ValueError):
            stock.restock_steps(bad)


def test_restock_in_steps_against_the_real_platform(tmp_path) -> None:
    session = start_demo(tmp_path / "demo")
    try:
        before = codes.available_count(session.store.conn(), "qb30")
        seen: list[tuple[int, int]] = []
        got = stock.restock(session.engine.restock, product_id="qb30", quantity=23,
                            progress=lambda done, total: seen.append((done, total)))
        assert got == 23 and seen == [(10, 23), (20, 23), (23, 23)]
        assert codes.available_count(session.store.conn(), "qb30") == before + 23
        stopped = stock.restock(session.engine.restock, product_id="qb30", quantity=5, cancelled=lambda: True)
        assert stopped == 0
        session.server.stop()  # offline: a clear error, and what was received stays
        with pytest.raises(OfflineError):
            stock.restock(session.engine.restock, product_id="qb30", quantity=5)
        assert codes.available_count(session.store.conn(), "qb30") == before + 23
    finally:
        session.engine.stop()
        session.store.close()


def test_failed_topup_refund_needs_owner_and_happens_once(store) -> None:
    owner = make_staff(store)
    cashier = make_staff(store, "小李", "cashier", "1357")
    open_shift(store, staff_id=cashier.id, float_fen=10000)
    top = record_topup(store, staff_id=cashier.id, product_id=HF50.id, account="13812345678")
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 1)])
    with pytest.raises(refunds.NotRefundableError, match="not reported"):
        refunds.refund_order(store, None, order_id=top.id, staff_id=cashier.id, approver_id=owner.id)
    with store.transaction() as conn:
        orders.set_topup_state(conn, top.id, "failed", "carrier refused")
    assert status(store.conn()).expected_fen == 10000 + sale.order.total_fen  # paid back, not in the drawer
    with pytest.raises(NotOwnerError):
        refunds.refund_order(store, None, order_id=top.id, staff_id=cashier.id, approver_id=cashier.id)
    d = history.detail(store.conn(), top.id)
    assert d.refundable and not d.voidable and d.refunded_at is None
    refunds.refund_order(store, None, order_id=top.id, staff_id=cashier.id, approver_id=owner.id)
    with pytest.raises(refunds.NotRefundableError, match="already"):
        refunds.refund_order(store, None, order_id=top.id, staff_id=cashier.id, approver_id=owner.id)
    d = history.detail(store.conn(), top.id)
    assert not d.refundable and d.refunded_at is not None and d.order.status_reason == "carrier refused"
    z = close_shift(store, staff_id=cashier.id, counts={10000: 1, 1000: 1})
    assert [(a.action, a.subject, a.approver_id) for a in z.voids] == [("refund", top.id, owner.id)]


def test_order_detail_says_what_can_be_done(store) -> None:
    owner = make_staff(store)
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 2)])
    d = history.detail(store.conn(), sale.order.id)
    # A card sale whose codes never left is refunded whole (through its void) as well as voided (#17).
    assert (d.codes_count, d.voidable, d.refundable, d.staff_name) == (2, True, True, owner.name)
    reveal_codes(store, order_id=sale.order.id, staff_id=owner.id)
    d = history.detail(store.conn(), sale.order.id)
    assert not d.voidable and not d.refundable and d.handed_over_at is not None
    with pytest.raises(NotFoundError):
        history.detail(store.conn(), "missing")
    options = history.choices(store.conn())
    assert (owner.id, owner.name) in options["staff"] and (QB10.id, QB10.name) in options["product"]


def test_z_report_is_frozen_at_close(store) -> None:
    cashier = make_staff(store, "小李", "cashier", "1357")
    assert status(store.conn()) is None
    open_shift(store, staff_id=cashier.id, float_fen=0)
    top = record_topup(store, staff_id=cashier.id, product_id=HF50.id, account="13812345678")
    live = status(store.conn())
    assert (live.orders, live.expected_fen, live.staff_name) == (1, top.total_fen, "小李")
    with pytest.raises(ValueError):
        z_report_of(store.conn(), live.shift.id)
    z = close_shift(store, staff_id=cashier.id, counts={5000: 1})
    with store.transaction() as conn:  # fails after the close: the printed report must not change
        orders.set_topup_state(conn, top.id, "failed", "late")
    again = z_report_of(store.conn(), z.shift.id)
    assert again == z and again.sales_fen == top.total_fen
    assert [s.id for s in closed_shifts(store.conn())] == [z.shift.id]
    # Closing queued the printed Z report in the same transaction; a copy can be queued later.
    print_z_copy(store, shift_id=z.shift.id)
    jobs = store.conn().execute("SELECT is_copy, payload FROM print_jobs WHERE kind = 'z_report' ORDER BY created_at")
    jobs = [(copy, json.loads(payload)) for copy, payload in jobs]
    assert [copy for copy, _ in jobs] == [0, 1]
    assert f"第 {z.seq} 班" in json.dumps(jobs[0][1], ensure_ascii=False)


@pytest.mark.parametrize("sort", sorted(history.SORTABLE))
@pytest.mark.parametrize("descending", [True, False])
def test_history_pages_cover_every_order_once_with_ties(store, sort, descending) -> None:
    owner = make_staff(store)
    for n in range(7):  # equal totals, states and methods: only the id tie-break orders them
        sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id if n % 2 else WY50.id, 1)])
    conn = store.conn()
    seen = [r.id for offset in range(0, 9, 3)
            for r in history.page(conn, history.OrderFilter(), offset=offset, limit=3, sort=sort,
                                  descending=descending)]
    assert sorted(seen) == sorted(r[0] for r in conn.execute("SELECT id FROM orders"))
    keys = [getattr(r, {"staff": "staff_name"}.get(sort, sort)) for r in history.page(
        conn, history.OrderFilter(), offset=0, limit=9, sort=sort, descending=descending)]
    assert keys == sorted(keys, reverse=descending)
