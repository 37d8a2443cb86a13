"""Refunds at the desk (issue #17), without Qt: to the original payment, with the owner's PIN, never above what is
left, executed once however often it is retried.

The platform is played by ``RefundPlatform``: QR payments as tests/unit/test_qr_sale.py's model keeps them, plus the
refunds the wire contract (kameng_desk/records/payment_port.py) describes: idempotent by refund id, amount at most
what is left of the payment, 409 refund_unsupported where the gateway cannot refund. The end-to-end test against
the real platform is tests/integration/test_refunds_e2e.py.
"""

from __future__ import annotations

import json

import pytest

from kameng_desk.printing.slips import Shop, z_report_slip
from kameng_desk.records.payment_port import (
    CreatedPayment,
    PlatformUnreachableError,
    Refund,
    RefundUnsupportedError,
)
from kameng_desk.sync.errors import PlatformRefusedError
from kameng_desk.sync.status import RefundSettled
from kameng_desk.usecases import handover, history, qr_sale, refunds
from kameng_desk.usecases.cash_shift import close_shift, expected_cash, open_shift
from kameng_desk.usecases.errors import NotOwnerError
from kameng_desk.usecases.handover import reveal_codes
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.syncing import SyncEngine
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, audit, codes, orders, payments, print_jobs, shifts
from local_cache import refunds as refund_rows
from tests.factories import HF50, QB10, make_staff, secret_for, seed_catalog


class RefundPlatform:
    """The platform's payments and refunds. ``online`` False: every call fails as offline; ``lose_answers``: the
    refund is executed but its answer never arrives (a dropped connection); ``can_refund`` False: the gateway
    cannot refund."""

    def __init__(self) -> None:
        self.status: dict[str, str] = {}
        self.amounts: dict[str, int] = {}
        self.refunds_of: dict[str, list[Refund]] = {}
        self.executed: list[str] = []  # refund ids, once per execution at the gateway
        self.online = True
        self.lose_answers = False
        self.can_refund = True
        self.asked: list[str] = []

    def _check(self) -> None:
        if not self.online:
            raise PlatformUnreachableError()

    def payment_methods(self) -> list[str]:
        self._check()
        return ["sandbox"]

    def create_payment(self, *, payment_id, order_id, amount_fen, method, description) -> CreatedPayment:
        self._check()
        self.status.setdefault(payment_id, "pending")
        self.amounts[payment_id] = amount_fen
        return CreatedPayment(f"https://pay.example/{payment_id}", 2_000_000_000)

    def payment_status(self, payment_id: str) -> str:
        self._check()
        return self.status.get(payment_id, "cancelled")

    def cancel_payment(self, payment_id: str) -> str:
        self._check()
        if self.status.get(payment_id, "pending") == "pending":
            self.status[payment_id] = "cancelled"
        return self.status[payment_id]

    def refund_payment(self, *, payment_id: str, refund_id: str, amount_fen: int, reason: str) -> Refund:
        self._check()
        self.asked.append(refund_id)
        done = self.refunds_of.setdefault(payment_id, [])
        same = [r for r in done if r.refund_id == refund_id]
        if not same:
            if self.status.get(payment_id) != "paid":
                raise PlatformRefusedError(409, "payment_not_paid", "not paid")
            if not self.can_refund:
                raise RefundUnsupportedError()
            if amount_fen + sum(r.amount_fen for r in done if r.status != "failed") > self.amounts[payment_id]:
                raise PlatformRefusedError(409, "refund_exceeds_payment", "too much")
            done.append(Refund(refund_id, payment_id, amount_fen, "succeeded"))
            self.executed.append(refund_id)
        if self.lose_answers:
            raise PlatformUnreachableError("ReadTimeout")
        return next(r for r in done if r.refund_id == refund_id)

    def refunds(self, payment_id: str) -> list[Refund]:
        self._check()
        return list(self.refunds_of.get(payment_id, []))


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=10)
    yield s
    s.close()


@pytest.fixture
def people(store):
    return make_staff(store), make_staff(store, "小李", "cashier", "1357")


def qr_sale_paid(store, platform: RefundPlatform, staff_id: str, quantity: int = 2) -> qr_sale.Settled:
    session = qr_sale.start(store, platform, staff_id=staff_id, cart=[CartLine(QB10.id, quantity)], method="sandbox")
    platform.status[session.payment_id] = "paid"
    return qr_sale.poll(store, platform, session, staff_id=staff_id)


def slips_of(store, kind: str) -> list[str]:
    return [bytes(j.payload).decode() for j in print_jobs.open_jobs(store.conn()) if j.kind == kind]


def test_cash_card_sale_is_refunded_whole_through_its_void(store, people) -> None:
    owner, cashier = people
    open_shift(store, staff_id=cashier.id, float_fen=10000)
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 2)])
    shift = shifts.current(store.conn())
    assert expected_cash(store.conn(), shift) == 10000 + 2000
    with pytest.raises(NotOwnerError):
        refunds.refund_order(store, None, order_id=sale.order.id, staff_id=cashier.id, approver_id=cashier.id)
    with pytest.raises(refunds.NotRefundableError) as partial:
        refunds.refund_order(store, None, order_id=sale.order.id, staff_id=cashier.id, approver_id=owner.id,
                             amount_fen=500)
    assert partial.value.why == "amount" and orders.get(store.conn(), sale.order.id).state == "fulfilled"
    result = refunds.refund_order(store, None, order_id=sale.order.id, staff_id=cashier.id, approver_id=owner.id,
                                  reason="顾客买错了")
    conn = store.conn()
    assert result.outcome == "succeeded" and (result.refund.method, result.refund.amount_fen) == ("cash", 2000)
    assert orders.get(conn, sale.order.id).state == "voided"
    assert codes.available_count(conn, QB10.id) == 10  # the codes are back on the shelf, as a void puts them
    assert expected_cash(conn, shift) == 10000  # the cash went back out of the drawer, once
    entries = [(e.action, e.detail.get("amount_fen"), e.detail.get("method"), e.approver_id)
               for e in audit.entries(conn) if e.subject == sale.order.id and e.action.startswith(("refund", "void"))]
    assert sorted(entries, key=str) == sorted([("void", None, None, owner.id), ("refund", 2000, "cash", owner.id),
                                               ("refund_request", 2000, "cash", owner.id)], key=str)
    slip = slips_of(store, "refund_slip")
    assert len(slip) == 1 and "退款凭证" in slip[0] and sale.order.number in slip[0] and owner.name in slip[0]
    assert not any(secret_for(QB10.id, n) in slip[0] for n in range(10)) and "CARDNO" not in slip[0]
    with pytest.raises(refunds.NotRefundableError) as again:
        refunds.refund_order(store, None, order_id=sale.order.id, staff_id=cashier.id, approver_id=owner.id)
    assert again.value.why == "refunded"
    z = close_shift(store, staff_id=cashier.id, counts={10000: 1})
    assert z.refunds_by_method == {"cash": 2000} and z.shift.expected_fen == 10000 and z.shift.difference_fen == 0
    assert ("refund", sale.order.number, 2000) in [(v.action, v.number, v.amount_fen) for v in z.voids]
    printed = z_report_slip(z, shop=Shop("老王网吧"), cashier="小李").to_json().decode()
    assert "现金退款" in printed and "￥20.00" in printed


def test_codes_handed_over_are_never_refunded(store, people) -> None:
    owner, _ = people
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    reveal_codes(store, order_id=sale.order.id, staff_id=owner.id)
    with pytest.raises(refunds.NotRefundableError) as refused:
        refunds.refund_order(store, None, order_id=sale.order.id, staff_id=owner.id, approver_id=owner.id)
    assert refused.value.why == "handed_over"
    conn = store.conn()
    assert refund_rows.for_order(conn, sale.order.id) == [] and orders.get(conn, sale.order.id).state == "fulfilled"
    assert [c.state for c in codes.for_order(conn, sale.order.id)] == ["sold"]


def test_qr_sale_goes_back_to_its_payment_once(store, people) -> None:
    owner, cashier = people
    platform = RefundPlatform()
    open_shift(store, staff_id=cashier.id, float_fen=5000)
    settled = qr_sale_paid(store, platform, cashier.id)
    p = refunds.plan(store.conn(), settled.order_id)
    assert (p.to, p.left_fen, p.whole_only) == ("gateway", 2000, True)
    result = refunds.refund_order(store, platform, order_id=settled.order_id, staff_id=cashier.id,
                                  approver_id=owner.id)
    assert result.outcome == "succeeded" and result.refund.method == "gateway"
    assert platform.executed == [result.refund.refund_id]
    conn = store.conn()
    assert codes.available_count(conn, QB10.id) == 10 and orders.get(conn, settled.order_id).state == "voided"
    assert expected_cash(conn, shifts.current(conn)) == 5000  # the drawer gave nothing
    d = history.detail(conn, settled.order_id)
    assert d.refunded_fen == 2000 and not d.refundable and not d.refund_owed and d.refunded_at is not None
    assert "原路退回（sandbox）" in slips_of(store, "refund_slip")[0]
    z = close_shift(store, staff_id=cashier.id, counts={5000: 1})
    assert z.refunds_by_method == {"gateway": 2000} and z.shift.difference_fen == 0


def test_a_lost_answer_is_retried_as_the_same_refund(store, people) -> None:
    owner, _ = people
    platform = RefundPlatform()
    settled = qr_sale_paid(store, platform, owner.id)
    platform.lose_answers = True
    result = refunds.refund_order(store, platform, order_id=settled.order_id, staff_id=owner.id,
                                  approver_id=owner.id)
    assert result.outcome == "unreached" and result.refund.status == "pending"
    # While it is open no second refund (nor cash) can be given for the order.
    with pytest.raises(refunds.NotRefundableError) as waiting:
        refunds.refund_order(store, platform, order_id=settled.order_id, staff_id=owner.id, approver_id=owner.id,
                             cash_instead=True)
    assert waiting.value.why == "pending"
    platform.online = False
    assert refunds.resume_pending(store, platform) == []  # offline: it waits
    platform.online, platform.lose_answers = True, False
    ended = refunds.resume_pending(store, platform)
    assert [r.outcome for r in ended] == ["succeeded"]
    assert platform.asked == [result.refund.refund_id] * 2 and platform.executed == [result.refund.refund_id]
    assert refunds.resume_pending(store, platform) == []  # nothing left to ask about
    assert [e.action for e in audit.entries(store.conn()) if e.subject == settled.order_id].count("refund") == 1


def test_gateway_that_cannot_refund_offers_cash_instead(store, people) -> None:
    owner, cashier = people
    platform = RefundPlatform()
    open_shift(store, staff_id=cashier.id, float_fen=5000)
    settled = qr_sale_paid(store, platform, cashier.id)
    platform.can_refund = False
    result = refunds.refund_order(store, platform, order_id=settled.order_id, staff_id=cashier.id,
                                  approver_id=owner.id)
    assert result.outcome == "unsupported" and result.refund.status == "failed" and platform.executed == []
    conn = store.conn()
    assert orders.get(conn, settled.order_id).state == "voided"  # the codes are back; the money is still owed
    d = history.detail(conn, settled.order_id)
    assert d.refund_owed and d.refundable and d.refunded_fen == 0
    cash = refunds.refund_order(store, platform, order_id=settled.order_id, staff_id=cashier.id,
                                approver_id=owner.id, cash_instead=True)
    assert cash.outcome == "succeeded" and cash.refund.method == "cash_instead"
    assert expected_cash(conn, shifts.current(conn)) == 5000 - 2000  # paid from the drawer, no QR cash came in
    actions = [(e.action, e.detail.get("method")) for e in audit.entries(conn) if e.subject == settled.order_id]
    assert ("refund_failed", "gateway") in actions and ("refund", "cash_instead") in actions
    assert not history.detail(conn, settled.order_id).refund_owed


def test_offline_platform_records_nothing_and_cash_stays_possible(store, people) -> None:
    owner, _ = people
    platform = RefundPlatform()
    settled = qr_sale_paid(store, platform, owner.id)
    platform.online = False
    for port in (platform, None):
        with pytest.raises(refunds.GatewayOfflineError):
            refunds.refund_order(store, port, order_id=settled.order_id, staff_id=owner.id, approver_id=owner.id)
    conn = store.conn()
    assert refund_rows.for_order(conn, settled.order_id) == []
    assert orders.get(conn, settled.order_id).state == "fulfilled" and codes.available_count(conn, QB10.id) == 8
    cash = refunds.refund_order(store, None, order_id=settled.order_id, staff_id=owner.id, approver_id=owner.id,
                                cash_instead=True)
    assert cash.refund.method == "cash_instead" and orders.get(conn, settled.order_id).state == "voided"


def test_paid_after_cancel_is_refunded_in_parts_never_above_what_is_left(store, people) -> None:
    owner, _ = people
    platform = RefundPlatform()
    session = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 3)], method="sandbox")
    qr_sale.cancel(store, None, session, staff_id=owner.id)  # offline cancel: requested, not yet confirmed
    platform.status[session.payment_id] = "paid"  # the customer was quicker
    assert qr_sale.resolve_unsettled(store, platform)[0].outcome == "refund_needed"
    conn = store.conn()
    assert history.detail(conn, session.order_id).refund_owed
    first = refunds.refund_order(store, platform, order_id=session.order_id, staff_id=owner.id,
                                 approver_id=owner.id, amount_fen=1000)
    assert first.outcome == "succeeded" and refunds.plan(conn, session.order_id).left_fen == 2000
    for amount, why in ((2001, "over_amount"), (0, "amount"), (-5, "amount")):
        with pytest.raises(refunds.NotRefundableError) as refused:
            refunds.refund_order(store, platform, order_id=session.order_id, staff_id=owner.id,
                                 approver_id=owner.id, amount_fen=amount)
        assert refused.value.why == why and refused.value.left_fen == 2000
    refunds.refund_order(store, platform, order_id=session.order_id, staff_id=owner.id, approver_id=owner.id)
    assert [r.amount_fen for r in platform.refunds_of[session.payment_id]] == [1000, 2000]
    assert len(platform.executed) == 2
    assert not history.detail(conn, session.order_id).refund_owed


def test_void_of_a_qr_sale_flags_the_refund_it_owes(store, people) -> None:
    owner, _ = people
    platform = RefundPlatform()
    settled = qr_sale_paid(store, platform, owner.id, quantity=1)
    handover.void_sale(store, order_id=settled.order_id, staff_id=owner.id, approver_id=owner.id)
    d = history.detail(store.conn(), settled.order_id)
    assert d.refund_needed and d.refund_owed
    assert refunds.plan(store.conn(), settled.order_id).voids is False  # voided already: only the money is owed
    refunds.refund_order(store, platform, order_id=settled.order_id, staff_id=owner.id, approver_id=owner.id)
    assert platform.executed and not history.detail(store.conn(), settled.order_id).refund_owed
    cash_sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    handover.void_sale(store, order_id=cash_sale.order.id, staff_id=owner.id, approver_id=owner.id)
    with pytest.raises(refunds.NotRefundableError) as refused:  # the void of a cash sale gave the cash back
        refunds.plan(store.conn(), cash_sale.order.id)
    assert refused.value.why == "refunded"


def qr_topup(store, staff_id: str, payment_id: str, platform: RefundPlatform):
    """A top-up paid through the platform (the counter's code payments record them so)."""
    top = record_topup(store, staff_id=staff_id, product_id=HF50.id, account="13812345678",
                       payment_method="qr_dynamic")
    with store.transaction() as conn:
        payments.create(conn, payment_id, top.id, "sandbox", top.total_fen)
        payments.move(conn, payment_id, "paid")
    platform.status[payment_id], platform.amounts[payment_id] = "paid", top.total_fen
    return top


def test_failed_topup_paid_by_qr_goes_back_by_itself(store, people) -> None:
    owner, _ = people
    platform = RefundPlatform()
    top = qr_topup(store, owner.id, "pay-topup-1", platform)
    cash_top = record_topup(store, staff_id=owner.id, product_id=HF50.id, account="13812345678")
    engine = SyncEngine(store, lambda: None)
    with store.transaction() as conn:  # what the changes feed says, applied as the sync round applies it
        for order in (top, cash_top):
            engine._apply(conn, "order_status", {"order_id": order.id, "topup_state": "failed", "reason": "x"})
        engine._apply(conn, "order_status", {"order_id": top.id, "topup_state": "failed"})  # a repeat
    conn = store.conn()
    (auto,) = refund_rows.for_order(conn, top.id)
    assert (auto.method, auto.amount_fen, auto.status, auto.approver_id) == ("gateway", 5000, "pending", None)
    assert refund_rows.for_order(conn, cash_top.id) == []  # cash: the owner-approved hand-back stays
    told: list = []
    engine.add_event_listener(told.append)
    engine._settle_refunds(platform)  # the sync round's step, after the feed
    assert told == [RefundSettled(top.id, top.number, 5000, "succeeded")]
    assert platform.executed == [auto.refund_id]
    assert "自动退款" in slips_of(store, "refund_slip")[0]
    refunds.refund_order(store, None, order_id=cash_top.id, staff_id=owner.id, approver_id=owner.id)
    assert [r.method for r in refund_rows.for_order(conn, cash_top.id)] == ["cash"]


def test_the_feed_finishes_a_refund_once(store, people) -> None:
    owner, _ = people
    platform = RefundPlatform()
    settled = qr_sale_paid(store, platform, owner.id)
    platform.online = True
    platform.lose_answers = True
    pending = refunds.refund_order(store, platform, order_id=settled.order_id, staff_id=owner.id,
                                   approver_id=owner.id).refund
    engine = SyncEngine(store, lambda: None)
    heard = []
    for _ in range(2):
        with store.transaction() as conn:
            heard.append(engine._apply(conn, "refund", {"refund_id": pending.refund_id, "amount_fen": 2000,
                                                        "payment_id": pending.payment_id, "status": "succeeded"}))
            assert engine._apply(conn, "refund", {"refund_id": "another-terminals", "status": "succeeded"}) is None
    number = orders.get(store.conn(), settled.order_id).number
    assert heard == [RefundSettled(settled.order_id, number, 2000, "succeeded"), None]  # told once
    conn = store.conn()
    assert refund_rows.get(conn, pending.refund_id).status == "succeeded"
    assert [e.action for e in audit.entries(conn) if e.subject == settled.order_id].count("refund") == 1
    assert refunds.resume_pending(store, platform) == [] and len(slips_of(store, "refund_slip")) == 1


def test_last_sale_at_the_counter(store, people) -> None:
    owner, _ = people
    with pytest.raises(refunds.NotRefundableError):
        refunds.last_sale_plan(store.conn())
    sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    last = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 2)])
    p = refunds.last_sale_plan(store.conn())
    assert p.order.id == last.order.id and p.left_fen == 2000 and p.to == "cash"


def test_refund_slip_payload_is_plain_layout_without_codes(store, people) -> None:
    owner, _ = people
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 3)])
    refunds.refund_order(store, None, order_id=sale.order.id, staff_id=owner.id, approver_id=owner.id)
    (payload,) = slips_of(store, "refund_slip")
    doc = json.loads(payload)
    texts = json.dumps(doc, ensure_ascii=False)
    assert doc["kind"] == "refund_slip" and "￥30.00" in texts and "现金退款" in texts
    assert "CARDNO" not in texts and not any(secret_for(QB10.id, n) in texts for n in range(10))


def test_history_and_reports_show_the_refunds(store, people) -> None:
    from kameng_desk.usecases import reports

    owner, _ = people
    platform = RefundPlatform()
    cash = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    kept = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 2)])
    qr = qr_sale_paid(store, platform, owner.id, quantity=3)
    refunds.refund_order(store, None, order_id=cash.order.id, staff_id=owner.id, approver_id=owner.id)
    refunds.refund_order(store, platform, order_id=qr.order_id, staff_id=owner.id, approver_id=owner.id)
    conn = store.conn()
    rows = {r.id: r.refunded_fen for r in history.page(conn, history.OrderFilter(), offset=0, limit=10)}
    assert rows == {cash.order.id: 1000, kept.order.id: 0, qr.order_id: 3000}
    report = reports.sales_report(conn, "2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z")
    assert [(r.key, r.orders, r.amount_fen) for r in report.refunds] == [("cash", 1, 1000), ("gateway", 1, 3000)]
    assert report.total_fen == 2000 and report.refunded_fen == 4000  # the refunded sales no longer stand


def test_the_reason_is_one_line_the_platform_takes(store, people) -> None:
    """The wire contract's reason is one line of 1 to 80 characters: what the owner typed is made one, or the
    default when nothing is left."""
    owner, _ = people
    platform = RefundPlatform()
    asked: list[str] = []
    real = platform.refund_payment

    def keep(**request):
        asked.append(request["reason"])
        return real(**request)
    platform.refund_payment = keep
    for typed in ("", "  \n\t ", "顾客\n买错了\x00", "长" * 200):
        settled = qr_sale_paid(store, platform, owner.id, quantity=1)
        refunds.refund_order(store, platform, order_id=settled.order_id, staff_id=owner.id, approver_id=owner.id,
                             reason=typed)
    assert asked == ["顾客退款", "顾客退款", "顾客 买错了", "长" * 80]
    assert all(0 < len(r) <= refunds.REASON_MAX and r.isprintable() for r in asked)
