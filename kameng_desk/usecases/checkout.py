"""The counter's checkout as explicit states, decided without Qt: cash, the platform's QR, or the shop's own QR.

A QR checkout asks the platform for a payment QR. When the platform is known to be offline, is not paired, or does
not answer, the shop's own collection QR (static_qr) is offered instead, keeping the codes a started payment
reserved; with no shop QR either, the cashier takes cash (and a started payment is cancelled). The widget shows
the state it is told (a dialog, the busy indicator, an error) and reports what happened back as an event; each
event returns the next state. An event the current state does not expect (an answer for a checkout that is over)
changes nothing. Busy is every state but Idle: no second checkout starts while one is under way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from kameng_desk.records.payment_port import PaymentPort, PlatformUnreachableError
from kameng_desk.sync.status import SyncStatus
from kameng_desk.usecases import qr_sale
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
class Idle:
    """Nothing under way. Just ended: `sold` (hand over its codes), `settled` (a QR payment that ended without a
    sale: say how), or `problem` (say what went wrong)."""
    sold: Sale | None = None
    settled: Settled | None = None
    problem: Exception | NoShopQr | None = None


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


State = Idle | SellingForCash | StartingQr | ShowingQr | LoadingShopQr | ShowingShopQr | CancellingQr


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
        if isinstance(state, StartingQr) and isinstance(exc, PlatformUnreachableError):
            return self._to(LoadingShopQr(state.basket, Fallback.UNREACHABLE))  # nothing was reserved
        if isinstance(state, Idle | ShowingQr):  # the payment dialog shows its own poll failures
            return state
        return self._to(Idle(problem=exc))
