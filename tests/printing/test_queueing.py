"""Slips are queued in the transaction that records the order; a reprint queues copies and is audited."""

from __future__ import annotations

import pytest

from kameng_desk.printing.errors import NotReprintableError
from kameng_desk.printing.layout import Slip
from kameng_desk.printing.profiles import PAPER_58
from kameng_desk.printing.text_render import render_text
from kameng_desk.usecases import qr_sale
from kameng_desk.usecases.print_queue import reprint_order
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, audit, print_jobs, settings
from local_cache.errors import OutOfStockError
from tests.factories import HF50, QB10, WY50, make_staff, seed_catalog


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path)
    seed_catalog(store, stock=3)
    with store.transaction() as conn:
        settings.put(conn, "shop_name", "星空网吧")
    yield store
    store.close()


def open_jobs(store: Store) -> list[print_jobs.PrintJob]:
    return print_jobs.open_jobs(store.conn())


def test_a_card_sale_queues_its_receipt_and_one_slip_per_code(store) -> None:
    owner = make_staff(store)
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 2), CartLine(WY50.id, 1)])
    jobs = open_jobs(store)
    assert [j.kind for j in jobs] == ["sale_receipt", "card_slip", "card_slip", "card_slip"]
    assert {j.order_id for j in jobs} == {sale.order.id} and {j.printer for j in jobs} == {"default"}
    texts = [render_text(Slip.from_json(j.payload), PAPER_58) for j in jobs]
    assert "星空网吧" in texts[0] and sale.order.number in texts[0]
    for code in sale.codes:
        assert sum(code.card_secret in t for t in texts[1:]) == 1


def test_a_failed_sale_queues_nothing(store) -> None:
    owner = make_staff(store)
    with pytest.raises(OutOfStockError):
        sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 4)])
    assert open_jobs(store) == []


def test_a_topup_queues_its_receipt(store) -> None:
    owner = make_staff(store)
    order = record_topup(store, staff_id=owner.id, product_id=HF50.id, account="138 1234 5678")
    [job] = open_jobs(store)
    assert job.kind == "topup_receipt" and job.order_id == order.id
    assert "138****5678" in render_text(Slip.from_json(job.payload), PAPER_58)


def test_a_qr_sale_queues_slips_only_once_paid(store) -> None:
    owner = make_staff(store)
    session = qr_sale.reserve(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="static")
    assert open_jobs(store) == []
    qr_sale.confirm_static(store, session, staff_id=owner.id, approver_id=None)
    assert [j.kind for j in open_jobs(store)] == ["sale_receipt", "card_slip"]


def test_reprint_queues_copies_and_audits_both_people(store) -> None:
    owner = make_staff(store)
    cashier = make_staff(store, name="小李", role="cashier", pin="1357")
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 2)])
    with store.transaction() as conn:
        for job in print_jobs.open_jobs(conn):
            print_jobs.cancel(conn, job.id)
    copies = reprint_order(store, order_id=sale.order.id, staff_id=cashier.id, approver_id=owner.id)
    assert [j.kind for j in copies] == ["sale_receipt", "card_slip", "card_slip"]
    assert all(j.is_copy for j in open_jobs(store))
    entry = audit.entries(store.conn(), limit=1)[0]
    assert (entry.action, entry.staff_id, entry.approver_id, entry.subject) == (
        "reprint", cashier.id, owner.id, sale.order.id)
    assert entry.detail == {"number": sale.order.number, "slips": 3, "card_slips": 2}
    assert audit.verify(store.conn()).ok


def test_reprint_needs_an_approver_and_a_completed_order(store) -> None:
    owner = make_staff(store)
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    with pytest.raises(NotReprintableError, match="owner must approve"):
        reprint_order(store, order_id=sale.order.id, staff_id=owner.id, approver_id="")
    session = qr_sale.reserve(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="static")
    with pytest.raises(NotReprintableError, match="awaiting_payment"):
        reprint_order(store, order_id=session.order_id, staff_id=owner.id, approver_id=owner.id)
    assert len(open_jobs(store)) == 2  # only the sale's own slips
