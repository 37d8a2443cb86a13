"""The counter's checkout as explicit states, decided without Qt: cash, the platform's QR, the shop's own QR, or
the customer's payment code (付款码) scanned at the counter.

A QR checkout asks the platform for a payment QR. When the platform is known to be offline, is not paired, or does
not answer, the shop's own collection QR (static_qr) is offered instead, keeping the codes a started payment
reserved; with no shop QR either, the cashier takes cash (and a started payment is cancelled). The widget shows
the state it is told (a dialog, the busy indicator, an error) and reports what happened back as an event; each
event returns the next state. An event the current state does not expect (an answer for a checkout that is over)
changes nothing. Busy is every state but Idle: no second checkout starts while one is under way.

A scanned payment code is charged through the platform at once (ChargingCode); the customer may have to enter
their password (WaitingForPassword, asked again until it ends); the cashier's cancel asks the platform to reverse
the charge (CancellingCode), which may take a moment at the gateway (UndoingCode, asked again, or left to the sync
round: LeavingCode). Known offline or not paired, nothing is tried: the cashier offers the shop's QR or cash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from kameng_desk.records.payment_port import App, PaymentPort, PlatformUnreachableError
from kameng_desk.sync.status import SyncStatus
from kameng_desk.usecases import qr_sale
from kameng_desk.usecases.code_sale import CodeCharge
from kameng_desk.usecases.qr_sale import QrSession, Settled
from kameng_desk.usecases.sell import CartLine, Sale
from kameng_desk.usecases.static_qr import StaticQr


class Fallback(Enum):
    """Why the shop's own QR is offered instead of the platform's."""
    OFFLINE = "offline"  # the last sync round could not reach the platform: asking now would only time out
    NOT_PAIRED = "not_paired"  # no platform to ask
    UNREACHABLE = "unreachable"  # asked now, and it did not answer


@dataclass(frozen=True)
class Basket:
    """What is being paid for, and who sells it."""
    staff_id: str
    lines: tuple[CartLine, ...]
    total_fen: int


@dataclass(frozen=True)
class NoShopQr:
    """Neither QR can be shown: the cashier takes cash."""
    why: Fallback


@dataclass(frozen=True)
class CodeNeedsPlatform:
    """A payment code was scanned, but only the platform can charge it: the cashier offers the shop's QR or cash."""
    why: Fallback


@dataclass(frozen=True)
class Idle:
    """Nothing under way. Just ended: `sold` (hand over its codes), `settled` (a QR or code payment that ended
    without a sale: say how), or `problem` (say what went wrong)."""
    sold: Sale | None = None
    settled: Settled | None = None
    problem: Exception | NoShopQr | CodeNeedsPlatform | None = None
    app: App | None = None  # the app that paid a code sale (what the customer hears: 微信收款 / 支付宝收款)


@dataclass(frozen=True)
class SellingForCash:
    basket: Basket
    cash_fen: int | None  # None: exactly the total


@dataclass(frozen=True)
class StartingQr:
    """The payment port looked up, codes reserved and the platform asked for a payment QR, all in the background
    (building the port reads the pairing; the busy indicator shows)."""
    basket: Basket


@dataclass(frozen=True)
class ShowingQr:
    """The platform's QR on screen; the platform's word ends it."""
    basket: Basket
    port: PaymentPort
    session: QrSession


@dataclass(frozen=True)
class SwitchingQr:
    """The customer wants another app: the shown payment is cancelled and one started on `method` (qr_sale.switch)."""
    basket: Basket
    port: PaymentPort
    session: QrSession
    method: str


@dataclass(frozen=True)
class LoadingShopQr:
    basket: Basket
    why: Fallback
    port: PaymentPort | None = None
    session: QrSession | None = None  # a started payment whose reserved codes the shop's QR now sells


@dataclass(frozen=True)
class ShowingShopQr:
    """The shop's QR on screen, until the cashier confirms 收到款项 or gives up."""
    basket: Basket
    why: Fallback
    qr: StaticQr
    port: PaymentPort | None = None
    session: QrSession | None = None


@dataclass(frozen=True)
class CancellingQr:
    """A started payment being cancelled (its codes released, or the platform asked whether it was paid first)."""
    port: PaymentPort | None
    session: QrSession
    staff_id: str
    problem: NoShopQr | None = None  # said once it is cancelled, instead of how the payment ended


@dataclass(frozen=True)
class ChargingCode:
    """The payment port looked up, the codes reserved and the platform asked to charge the scanned code, in the
    background. The code is the customer's (it pays for about a minute): never in a repr, so never in a log."""
    basket: Basket
    auth_code: str = field(repr=False)
    cancel_wanted: bool = False  # Esc while the charge is under way: cancelled as soon as the platform answers


@dataclass(frozen=True)
class WaitingForPassword:
    """The customer is entering their payment password; the platform is asked again until it ends."""
    basket: Basket
    port: PaymentPort
    charge: CodeCharge


@dataclass(frozen=True)
class CancellingCode:
    """The cashier gave up: the platform is asked to reverse the charge."""
    basket: Basket
    port: PaymentPort
    charge: CodeCharge


@dataclass(frozen=True)
class UndoingCode:
    """Still open: the platform is reversing the charge at the gateway, or could not be asked. Asked again until it
    ends, unless the cashier stops waiting."""
    basket: Basket
    port: PaymentPort
    charge: CodeCharge


@dataclass(frozen=True)
class LeavingCode:
    """The cashier stops waiting for a code payment still open: the sync round settles it from now on."""
    charge: CodeCharge
    problem: Exception | None = None  # said once it is left, instead of "left to the sync round"


State = (Idle | SellingForCash | StartingQr | ShowingQr | SwitchingQr | LoadingShopQr | ShowingShopQr | CancellingQr
         | ChargingCode | WaitingForPassword | CancellingCode | UndoingCode | LeavingCode)
CodeStarted = tuple[PaymentPort | None, CodeCharge | None]


class Checkout:
    """The counter's one checkout at a time; `on_state(state)` hears every new state (the widget shows it)."""

    def __init__(self, on_state: Callable[[State], None] = lambda _state: None) -> None:
        self._on_state = on_state
        self.state: State = Idle()

    @property
    def busy(self) -> bool:
        return not isinstance(self.state, Idle)

    def _to(self, state: State) -> State:
        self.state = state
        self._on_state(state)
        return state

    # -- the cashier -----------------------------------------------------------------------------------

    def pay_cash(self, basket: Basket, cash_fen: int | None) -> State:
        if self.busy:
            return self.state
        return self._to(SellingForCash(basket, cash_fen))

    def pay_by_qr(self, basket: Basket, sync_status: SyncStatus | None) -> State:
        if self.busy:
            return self.state
        if qr_sale.known_offline(sync_status):
            return self._to(LoadingShopQr(basket, Fallback.OFFLINE))
        return self._to(StartingQr(basket))

    def pay_by_code(self, basket: Basket, auth_code: str, sync_status: SyncStatus | None) -> State:
        """A payment code scanned with a cart: charged at once, unless the platform is known to be offline."""
        if self.busy:
            return self.state
        if qr_sale.known_offline(sync_status):
            return self._to(Idle(problem=CodeNeedsPlatform(Fallback.OFFLINE)))
        return self._to(ChargingCode(basket, auth_code))

    def cancel_code(self) -> State:
        """Esc in the code payment's dialog: reverse the charge; pressed again while it is being reversed, the
        cashier stops waiting (the sync round settles it)."""
        state = self.state
        if isinstance(state, ChargingCode) and not state.cancel_wanted:
            return self._to(ChargingCode(state.basket, state.auth_code, cancel_wanted=True))
        if isinstance(state, WaitingForPassword):
            return self._to(CancellingCode(state.basket, state.port, state.charge))
        if isinstance(state, UndoingCode):
            return self._to(LeavingCode(state.charge))
        return state

    def switch_qr(self, method: str) -> State:
        """F6 in the QR dialog: the same cart, on another of the platform's gateways."""
        state = self.state
        if not isinstance(state, ShowingQr) or method == state.session.method:
            return state
        return self._to(SwitchingQr(state.basket, state.port, state.session, method))

    def qr_switched(self, result: QrSession | Settled) -> State:
        """The switch's answer: the new payment, or how the old one ended (paid first: the sale)."""
        state = self.state
        if not isinstance(state, SwitchingQr):
            return state
        if isinstance(result, Settled):
            return self._to(Idle(sold=result.sale))
        if result.qr_content is None:
            return self._to(LoadingShopQr(state.basket, Fallback.UNREACHABLE, state.port, result))
        return self._to(ShowingQr(state.basket, state.port, result))

    def dismissed(self) -> State:
        """A QR dialog closed without a payment (Esc, 取消, the counter locking)."""
        state = self.state
        if isinstance(state, ShowingShopQr) and state.session is not None:
            return self._to(CancellingQr(state.port, state.session, state.basket.staff_id))
        if isinstance(state, ShowingQr | ShowingShopQr):
            return self._to(Idle())
        return state

    # -- answers from the background -------------------------------------------------------------------

    def qr_started(self, started: tuple[PaymentPort | None, QrSession | None]) -> State:
        """The background start's answer: (None, None) when the counter is not paired, else the port and the
        session it started."""
        state, (port, session) = self.state, started
        if not isinstance(state, StartingQr):
            return state
        if port is None or session is None:
            return self._to(LoadingShopQr(state.basket, Fallback.NOT_PAIRED))
        if session.qr_content is None:  # reserved, but the platform did not answer: the shop's QR sells them
            return self._to(LoadingShopQr(state.basket, Fallback.UNREACHABLE, port, session))
        return self._to(ShowingQr(state.basket, port, session))

    def shop_qr_loaded(self, qr: StaticQr | None) -> State:
        state = self.state
        if not isinstance(state, LoadingShopQr):
            return state
        if qr is not None:
            return self._to(ShowingShopQr(state.basket, state.why, qr, state.port, state.session))
        if state.session is not None:
            return self._to(CancellingQr(state.port, state.session, state.basket.staff_id, NoShopQr(state.why)))
        return self._to(Idle(problem=NoShopQr(state.why)))

    def code_started(self, started: CodeStarted) -> State:
        """The background charge's answer: (None, None) when the counter is not paired, else the port and where
        the charge stands."""
        state, (port, charge) = self.state, started
        if not isinstance(state, ChargingCode):
            return state
        if port is None or charge is None:
            return self._to(Idle(problem=CodeNeedsPlatform(Fallback.NOT_PAIRED)))
        if not charge.open:
            return self._ended(charge)
        if charge.status != "pending":  # no answer: the cancel was requested at once
            return self._to(UndoingCode(state.basket, port, charge))
        if state.cancel_wanted:
            return self._to(CancellingCode(state.basket, port, charge))
        return self._to(WaitingForPassword(state.basket, port, charge))

    def code_polled(self, charge: CodeCharge) -> State:
        """Asked again: ended, or still waiting for the password (or for the reverse). While a cancel is under
        way only an end counts (the cancel's own answer says the rest)."""
        state = self.state
        if not isinstance(state, WaitingForPassword | UndoingCode | CancellingCode) \
                or state.charge.session != charge.session:
            return state
        if not charge.open:
            return self._ended(charge)
        if isinstance(state, CancellingCode):
            return state
        return self._to(type(state)(state.basket, state.port, charge))

    def code_cancelled(self, charge: CodeCharge) -> State:
        state = self.state
        if not isinstance(state, CancellingCode):
            return state
        if not charge.open:
            return self._ended(charge)
        return self._to(UndoingCode(state.basket, state.port, charge))

    def code_left(self) -> State:
        state = self.state
        if not isinstance(state, LeavingCode):
            return state
        if state.problem is not None:
            return self._to(Idle(problem=state.problem))
        return self._to(Idle(settled=Settled(state.charge.session.order_id, "waiting")))

    def _ended(self, charge: CodeCharge) -> State:
        settled = charge.settled
        if settled is not None and settled.outcome == "fulfilled":
            return self._to(Idle(sold=settled.sale, app=charge.app))
        return self._to(Idle(settled=settled))

    def sold(self, sale: Sale) -> State:
        if not isinstance(self.state, SellingForCash | ShowingShopQr):
            return self.state
        return self._to(Idle(sold=sale))

    def settled(self, result: Settled) -> State:
        """How a QR payment ended: paid (a sale), released, flagged for refund, or left for the sync round."""
        state = self.state
        if not isinstance(state, ShowingQr | ShowingShopQr | CancellingQr):
            return state
        if isinstance(state, CancellingQr) and state.problem is not None:
            return self._to(Idle(problem=state.problem))
        if result.outcome == "fulfilled":
            return self._to(Idle(sold=result.sale))
        return self._to(Idle(settled=result))

    def failed(self, exc: Exception) -> State:
        state = self.state
        if isinstance(state, StartingQr | SwitchingQr) and isinstance(exc, PlatformUnreachableError):
            return self._to(LoadingShopQr(state.basket, Fallback.UNREACHABLE))  # nothing new was reserved
        if isinstance(state, ChargingCode) and isinstance(exc, PlatformUnreachableError):
            return self._to(Idle(problem=CodeNeedsPlatform(Fallback.UNREACHABLE)))  # nothing was reserved
        if isinstance(state, WaitingForPassword | UndoingCode):
            return self._to(state)  # a poll failed: the dialog says so, and it is asked again
        if isinstance(state, CancellingCode):
            return self._to(LeavingCode(state.charge, exc))
        if isinstance(state, Idle | ShowingQr):  # the payment dialog shows its own poll failures
            return state
        return self._to(Idle(problem=exc))
