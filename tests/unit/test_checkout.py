"""The counter's checkout states (kameng_desk.usecases.checkout), driven through every transition without Qt.

The machine only decides; the payment port it hands on is the counter's own object, never called here, so a
plain stand-in is enough. The sessions, results and shop QR are the use cases' own records.
"""

from __future__ import annotations

import pytest

from kameng_desk.records.payment_port import PlatformUnreachableError, UnknownPaymentCodeError
from kameng_desk.sync.errors import PlatformRefusedError
from kameng_desk.sync.status import SyncStatus
from kameng_desk.usecases.checkout import (
    Basket,
    CancellingCode,
    CancellingQr,
    ChargingCode,
    Checkout,
    CodeNeedsPlatform,
    Fallback,
    Idle,
    LeavingCode,
    LoadingShopQr,
    NoShopQr,
    SellingForCash,
    ShowingQr,
    ShowingShopQr,
    StartingQr,
    SwitchingQr,
    UndoingCode,
    WaitingForPassword,
)
from kameng_desk.usecases.code_sale import CodeCharge, CodeSession
from kameng_desk.usecases.errors import CounterError
from kameng_desk.usecases.qr_sale import QrSession, Settled
from kameng_desk.usecases.sell import CartLine, Sale
from kameng_desk.usecases.static_qr import text_qr

PORT = object()  # the platform client the counter would hand on
BASKET = Basket("staff-1", (CartLine("qb30", 2),), 60_00)
ONLINE = SyncStatus(paired=True, online=True, orders_waiting=0)
OFFLINE = SyncStatus(paired=True, online=False, orders_waiting=0)
SHOP_QR = text_qr("wxp://f2f0-shop-collection-code")
SALE = Sale(order=None, codes=())  # what the use case returned; the machine only hands it on


def session(qr: str | None = "https://pay.example/p/1") -> QrSession:
    return QrSession("order-1", "0001", "pay-1", 60_00, "sandbox", qr, 1_900_000_000 if qr else None)


def checkout() -> tuple[Checkout, list]:
    shown: list = []
    return Checkout(shown.append), shown


def test_cash_sells_and_goes_back_to_idle_with_the_sale() -> None:
    till, shown = checkout()
    assert not till.busy
    assert till.pay_cash(BASKET, 100_00) == SellingForCash(BASKET, 100_00)
    assert till.busy
    assert till.pay_cash(BASKET, None) == SellingForCash(BASKET, 100_00)  # a second press waits for the first
    assert till.pay_by_qr(BASKET, ONLINE) == SellingForCash(BASKET, 100_00)
    assert till.sold(SALE) == Idle(sold=SALE)
    assert not till.busy
    assert shown == [SellingForCash(BASKET, 100_00), Idle(sold=SALE)]  # each new state shown once


def test_a_refused_cash_sale_says_why() -> None:
    till, _ = checkout()
    till.pay_cash(BASKET, None)
    refused = CounterError("sold out")
    assert till.failed(refused) == Idle(problem=refused)


def test_the_platform_qr_is_shown_and_its_payment_ends_the_checkout() -> None:
    till, _ = checkout()
    assert till.pay_by_qr(BASKET, ONLINE) == StartingQr(BASKET)
    assert till.busy
    assert till.qr_started((PORT, session())) == ShowingQr(BASKET, PORT, session())
    assert till.busy
    paid = Settled("order-1", "fulfilled", SALE)
    assert till.settled(paid) == Idle(sold=SALE)


@pytest.mark.parametrize("outcome", ["released", "refund_needed", "waiting"])
def test_a_qr_payment_that_ends_without_a_sale_is_said(outcome: str) -> None:
    till, _ = checkout()
    till.pay_by_qr(BASKET, ONLINE)
    till.qr_started((PORT, session()))
    ended = Settled("order-1", outcome)
    assert till.settled(ended) == Idle(settled=ended)


def test_the_qr_dialog_closed_after_a_failed_cancel_ends_the_checkout() -> None:
    till, _ = checkout()
    till.pay_by_qr(BASKET, ONLINE)
    till.qr_started((PORT, session()))
    assert till.failed(PlatformUnreachableError("poll")) == ShowingQr(BASKET, PORT, session())  # the dialog says it
    assert till.dismissed() == Idle()


def test_known_offline_goes_straight_to_the_shop_qr_without_asking_the_platform() -> None:
    till, _ = checkout()
    assert till.pay_by_qr(BASKET, OFFLINE) == LoadingShopQr(BASKET, Fallback.OFFLINE)
    assert till.shop_qr_loaded(SHOP_QR) == ShowingShopQr(BASKET, Fallback.OFFLINE, SHOP_QR)
    assert till.sold(SALE) == Idle(sold=SALE)  # the cashier confirmed 收到款项


def test_not_paired_offers_the_shop_qr_and_giving_up_there_ends_the_checkout() -> None:
    till, _ = checkout()
    assert till.pay_by_qr(BASKET, ONLINE) == StartingQr(BASKET)
    assert till.qr_started((None, None)) == LoadingShopQr(BASKET, Fallback.NOT_PAIRED)  # no port to ask
    assert till.shop_qr_loaded(SHOP_QR) == ShowingShopQr(BASKET, Fallback.NOT_PAIRED, SHOP_QR)
    assert till.dismissed() == Idle()  # nothing was reserved: nothing to cancel


def test_no_shop_qr_either_means_cash() -> None:
    till, _ = checkout()
    till.pay_by_qr(BASKET, None)
    till.qr_started((None, None))
    assert till.shop_qr_loaded(None) == Idle(problem=NoShopQr(Fallback.NOT_PAIRED))


def test_an_unreachable_platform_before_anything_was_reserved_offers_the_shop_qr() -> None:
    till, _ = checkout()
    till.pay_by_qr(BASKET, ONLINE)
    assert till.failed(PlatformUnreachableError("no methods")) == LoadingShopQr(BASKET, Fallback.UNREACHABLE)


def test_a_refused_qr_start_says_why() -> None:
    till, _ = checkout()
    till.pay_by_qr(BASKET, ONLINE)
    refused = CounterError("sold out")
    assert till.failed(refused) == Idle(problem=refused)


def test_reserved_codes_without_a_platform_qr_are_sold_by_the_shop_qr() -> None:
    till, _ = checkout()
    till.pay_by_qr(BASKET, ONLINE)
    reserved = session(qr=None)
    assert till.qr_started((PORT, reserved)) == LoadingShopQr(BASKET, Fallback.UNREACHABLE, PORT, reserved)
    assert till.shop_qr_loaded(SHOP_QR) == ShowingShopQr(BASKET, Fallback.UNREACHABLE, SHOP_QR, PORT, reserved)
    paid = Settled("order-1", "fulfilled", SALE)
    assert till.settled(paid) == Idle(sold=SALE)  # qr_sale.confirm_static's answer


def test_giving_up_on_the_shop_qr_cancels_the_reserved_payment_and_says_how_it_ended() -> None:
    till, _ = checkout()
    till.pay_by_qr(BASKET, ONLINE)
    reserved = session(qr=None)
    till.qr_started((PORT, reserved))
    till.shop_qr_loaded(SHOP_QR)
    assert till.dismissed() == CancellingQr(PORT, reserved, "staff-1")
    assert till.busy
    released = Settled("order-1", "released")
    assert till.settled(released) == Idle(settled=released)


def test_reserved_codes_and_no_shop_qr_are_released_then_cash_is_asked_for() -> None:
    till, _ = checkout()
    till.pay_by_qr(BASKET, ONLINE)
    reserved = session(qr=None)
    till.qr_started((PORT, reserved))
    assert till.shop_qr_loaded(None) == CancellingQr(PORT, reserved, "staff-1", NoShopQr(Fallback.UNREACHABLE))
    assert till.settled(Settled("order-1", "released")) == Idle(problem=NoShopQr(Fallback.UNREACHABLE))


def test_a_cancel_that_fails_says_why() -> None:
    till, _ = checkout()
    till.pay_by_qr(BASKET, ONLINE)
    till.qr_started((PORT, session(qr=None)))
    till.shop_qr_loaded(SHOP_QR)
    till.dismissed()
    broken = CounterError("disk full")
    assert till.failed(broken) == Idle(problem=broken)


def test_answers_for_a_checkout_that_is_over_change_nothing() -> None:
    till, shown = checkout()
    late = [lambda: till.qr_started((PORT, session())), lambda: till.shop_qr_loaded(SHOP_QR), lambda: till.sold(SALE),
            lambda: till.settled(Settled("order-1", "released")), lambda: till.dismissed(),
            lambda: till.failed(CounterError("late"))]
    for answer in late:
        assert answer() == Idle()
    assert shown == []
    till.pay_cash(BASKET, None)
    assert till.qr_started((PORT, session())) == SellingForCash(BASKET, None)  # not an answer to this state
    assert till.shop_qr_loaded(SHOP_QR) == SellingForCash(BASKET, None)
    assert till.settled(Settled("order-1", "released")) == SellingForCash(BASKET, None)
    assert till.dismissed() == SellingForCash(BASKET, None)


# -- the customer's payment code -------------------------------------------------------------------------------

AUTH_CODE = "134567890123456789"
CODE_SESSION = CodeSession("order-2", "0002", "pay-2", 60_00)


def charge(status: str, settled: Settled | None = None) -> CodeCharge:
    return CodeCharge(CODE_SESSION, status, "wechat", settled)


def test_a_code_paid_at_once_ends_with_the_sale() -> None:
    till, shown = checkout()
    assert till.pay_by_code(BASKET, AUTH_CODE, ONLINE) == ChargingCode(BASKET, AUTH_CODE)
    assert till.busy
    assert till.pay_by_qr(BASKET, ONLINE) == ChargingCode(BASKET, AUTH_CODE)  # one checkout at a time
    paid = charge("paid", Settled("order-2", "fulfilled", SALE))
    assert till.code_started((PORT, paid)) == Idle(sold=SALE, app="wechat")
    assert AUTH_CODE not in repr(shown)  # the customer's code never reaches a repr (and so a log)


def test_the_password_wait_is_asked_again_until_it_ends() -> None:
    till, _ = checkout()
    till.pay_by_code(BASKET, AUTH_CODE, ONLINE)
    waiting = WaitingForPassword(BASKET, PORT, charge("pending"))
    assert till.code_started((PORT, charge("pending"))) == waiting
    assert till.code_polled(charge("pending")) == waiting
    assert till.failed(PlatformRefusedError(500, "x", "poll")) == waiting  # asked again; the dialog says it
    other = CodeCharge(CodeSession("order-9", "0009", "pay-9", 1), "paid", "wechat", Settled("order-9", "fulfilled"))
    assert till.code_polled(other) == waiting  # an answer about another payment changes nothing
    assert till.code_polled(charge("paid", Settled("order-2", "fulfilled", SALE))) == Idle(sold=SALE, app="wechat")


def test_a_refused_code_ends_without_a_sale_and_says_why() -> None:
    till, _ = checkout()
    till.pay_by_code(BASKET, AUTH_CODE, ONLINE)
    released = Settled("order-2", "released", failure="NOTENOUGH")
    assert till.code_started((PORT, charge("failed", released))) == Idle(settled=released)


def test_a_scan_that_is_no_payment_code_is_said() -> None:
    till, _ = checkout()
    till.pay_by_code(BASKET, "9" * 18, ONLINE)
    refused = UnknownPaymentCodeError("not a payment code")
    assert till.failed(refused) == Idle(problem=refused)


@pytest.mark.parametrize(("status", "event", "why"), [
    (OFFLINE, None, Fallback.OFFLINE),  # known offline: not even tried
    (ONLINE, "not_paired", Fallback.NOT_PAIRED),
    (ONLINE, "unreachable", Fallback.UNREACHABLE),  # the platform did not answer before anything was reserved
])
def test_without_the_platform_the_counter_offers_the_shop_qr_or_cash(status, event, why) -> None:
    till, _ = checkout()
    till.pay_by_code(BASKET, AUTH_CODE, status)
    if event == "not_paired":
        till.code_started((None, None))
    elif event == "unreachable":
        till.failed(PlatformUnreachableError("methods"))
    assert till.state == Idle(problem=CodeNeedsPlatform(why)) and not till.busy


def test_cancel_while_the_customer_types_reverses_and_waits_for_the_gateway() -> None:
    till, _ = checkout()
    till.pay_by_code(BASKET, AUTH_CODE, ONLINE)
    till.code_started((PORT, charge("pending")))
    assert till.cancel_code() == CancellingCode(BASKET, PORT, charge("pending"))
    assert till.code_polled(charge("pending")) == CancellingCode(BASKET, PORT, charge("pending"))  # a late poll
    assert till.code_cancelled(charge("reversing")) == UndoingCode(BASKET, PORT, charge("reversing"))
    assert till.code_polled(charge("reversing")) == UndoingCode(BASKET, PORT, charge("reversing"))
    released = Settled("order-2", "released")
    assert till.code_polled(charge("cancelled", released)) == Idle(settled=released)


def test_a_poll_that_ends_the_payment_during_the_cancel_wins() -> None:
    till, _ = checkout()
    till.pay_by_code(BASKET, AUTH_CODE, ONLINE)
    till.code_started((PORT, charge("pending")))
    till.cancel_code()
    assert till.code_polled(charge("paid", Settled("order-2", "fulfilled", SALE))) == Idle(sold=SALE, app="wechat")
    too_late = charge("settled", Settled("order-2", "settled"))
    assert till.code_cancelled(too_late) == Idle(sold=SALE, app="wechat")


def test_esc_during_the_charge_cancels_once_the_platform_answers() -> None:
    till, _ = checkout()
    till.pay_by_code(BASKET, AUTH_CODE, ONLINE)
    assert till.cancel_code() == ChargingCode(BASKET, AUTH_CODE, cancel_wanted=True)
    assert till.cancel_code() == ChargingCode(BASKET, AUTH_CODE, cancel_wanted=True)
    assert till.code_started((PORT, charge("pending"))) == CancellingCode(BASKET, PORT, charge("pending"))


def test_the_cashier_can_stop_waiting_for_a_reverse() -> None:
    till, _ = checkout()
    till.pay_by_code(BASKET, AUTH_CODE, ONLINE)
    # The charge got no answer, and neither did the cancel requested at once.
    assert till.code_started((PORT, charge("unanswered"))) == UndoingCode(BASKET, PORT, charge("unanswered"))
    assert till.cancel_code() == LeavingCode(charge("unanswered"))
    assert till.code_left() == Idle(settled=Settled("order-2", "waiting"))


def test_a_failed_cancel_lets_go_of_the_payment_and_says_why() -> None:
    till, _ = checkout()
    till.pay_by_code(BASKET, AUTH_CODE, ONLINE)
    till.code_started((PORT, charge("pending")))
    till.cancel_code()
    refused = PlatformRefusedError(409, "conflict", "refused")
    assert till.failed(refused) == LeavingCode(charge("pending"), refused)  # the sync round settles it
    assert till.code_left() == Idle(problem=refused)


def test_f6_switches_the_qr_to_another_gateway() -> None:
    till, _ = checkout()
    till.pay_by_qr(BASKET, ONLINE)
    till.qr_started((PORT, session()))
    assert till.switch_qr("sandbox") == ShowingQr(BASKET, PORT, session())  # the method shown: nothing to do
    assert till.switch_qr("alipay") == SwitchingQr(BASKET, PORT, session(), "alipay")
    other = QrSession("order-3", "0003", "pay-3", 60_00, "alipay", "https://pay.example/p/3", 1_900_000_000)
    assert till.qr_switched(other) == ShowingQr(BASKET, PORT, other)


def test_a_switch_ends_with_the_sale_when_the_customer_paid_first() -> None:
    till, _ = checkout()
    till.pay_by_qr(BASKET, ONLINE)
    till.qr_started((PORT, session()))
    till.switch_qr("alipay")
    assert till.qr_switched(Settled("order-1", "fulfilled", SALE)) == Idle(sold=SALE)


def test_a_switch_the_platform_could_not_make_falls_back_to_the_shop_qr() -> None:
    till, _ = checkout()
    till.pay_by_qr(BASKET, ONLINE)
    till.qr_started((PORT, session()))
    till.switch_qr("alipay")
    reserved = QrSession("order-3", "0003", "pay-3", 60_00, "alipay", None, None)
    assert till.qr_switched(reserved) == LoadingShopQr(BASKET, Fallback.UNREACHABLE, PORT, reserved)
