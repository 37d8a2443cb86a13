"""What the customer sees and hears: one record of what is on show, fanned out to the displays that are on.

The counter says what happens (the cart changed, a QR waits, a sale is paid with its change, a refund is done);
this module turns that into a `Screen` and hands it to every attached display: the second screen's window
(kameng_desk.gui.customer_display) and the serial pole display (kameng_desk.pole_display, through `PoleOut`).
A payment by an app or a refund is also spoken (kameng_desk.records.voice), as the shops' QR speakers do; cash is
not. A display that fails is logged and left out of that update: what the customer sees never stops a sale.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol

from kameng_desk.pole_display import AmountTooLongError, Lamp, PoleDisplay
from kameng_desk.records.payment_port import App
from kameng_desk.records.voice import Announcement, Event, Voice, paid_event

log = logging.getLogger(__name__)

# "qr": the platform's QR (which app paid, when its gateway takes one only); "shop_qr": the shop's own static QR,
# confirmed by the cashier (not spoken: nothing verified it, and the shop's own speaker says it).
PaidBy = Literal["cash", "shop_qr", "wechat", "alipay", "qr"]
# The apps whose marks a gateway's QR shows, by the platform's method name (sandbox and 易支付 may take either:
# the counter passes the platform's PaymentOption.apps where it has them).
QR_APPS: dict[str, tuple[App, ...]] = {"wechat": ("wechat",), "alipay": ("alipay",)}


class Phase(StrEnum):
    WELCOME = "welcome"  # between customers: 欢迎光临
    CART = "cart"  # the lines and the total, as they are scanned
    QR = "qr"  # the payment QR, its amount and the apps that pay it
    PASSWORD = "password"  # the customer's payment code was charged: they confirm it on their phone
    PAID = "paid"  # paid: how, the change, 谢谢惠顾
    REFUND = "refund"  # money given back, 谢谢惠顾


@dataclass(frozen=True)
class Line:
    name: str
    quantity: int
    price_fen: int

    @property
    def subtotal_fen(self) -> int:
        return self.price_fen * self.quantity


@dataclass(frozen=True)
class Screen:
    """What is on show. `total_fen` is the cart's total, the QR's amount, what was paid or what was refunded."""
    phase: Phase = Phase.WELCOME
    lines: tuple[Line, ...] = ()
    total_fen: int = 0
    qr_content: str | None = None  # QR
    apps: tuple[App, ...] = ()  # QR: the apps that can pay it; PASSWORD: the app asking, when known
    paid_by: PaidBy | None = None  # PAID
    received_fen: int | None = None  # PAID in cash: what the customer handed over
    change_fen: int | None = None  # PAID in cash


def cart_screen(lines: tuple[Line, ...]) -> Screen:
    if not lines:
        return Screen()
    return Screen(Phase.CART, lines, sum(line.subtotal_fen for line in lines))


class Display(Protocol):
    def show(self, screen: Screen) -> None: ...

    def close(self) -> None: ...


class PoleOut:
    """The pole display's reading of a screen: the total with 总计 while the customer shops or the QR waits, the
    change with 找零 after cash (the amount with 收款 when there is none), the refund with no lamp."""

    def __init__(self, pole: PoleDisplay) -> None:
        self.pole = pole

    @staticmethod
    def reading(screen: Screen) -> tuple[Lamp, int] | None:
        """(lamp, fen), or None for blank."""
        match screen.phase:
            case Phase.CART | Phase.QR | Phase.PASSWORD:
                return Lamp.TOTAL, screen.total_fen
            case Phase.PAID if screen.change_fen:
                return Lamp.CHANGE, screen.change_fen
            case Phase.PAID:
                return Lamp.RECEIVED, screen.received_fen or screen.total_fen
            case Phase.REFUND:
                return Lamp.OFF, screen.total_fen
        return None

    def show(self, screen: Screen) -> None:
        reading = self.reading(screen)
        if reading is None:
            self.pole.blank()
            return
        try:
            self.pole.show(*reading)
        except AmountTooLongError:  # above 999999.99: blank rather than a wrong number
            log.info("pole display: %s fen has too many digits, left blank", reading[1])
            self.pole.blank()

    def close(self) -> None:
        """Left blank, lamps off: a display switched off or a counter that quits must not go on showing the last
        customer's change."""
        self.pole.blank()
        self.pole.close()


class CustomerView:
    """The fan-out the counter feeds (DeskContext.customer). Displays are attached by name ("window", "pole") as
    the settings switch them on, and replaced or detached as they change."""

    def __init__(self, voice: Voice | None = None) -> None:
        self.voice = voice or Voice()
        self.screen = Screen()
        self._displays: dict[str, Display] = {}

    def attach(self, name: str, display: Display) -> None:
        self.detach(name)
        self._displays[name] = display
        self._show_on(name, display)

    def detach(self, name: str) -> None:
        old = self._displays.pop(name, None)
        if old is not None:
            old.close()

    def attached(self, name: str) -> Display | None:
        return self._displays.get(name)

    def close(self) -> None:
        for name in list(self._displays):
            self.detach(name)

    def show(self, screen: Screen) -> None:
        if screen == self.screen and screen.phase in (Phase.WELCOME, Phase.CART, Phase.PASSWORD):
            # The counter redraws its totals on every key in the cash field, and says the password wait at every
            # poll: the customer's displays need not.
            return
        # An outcome is an event: a second refund of the same amount is shown again (the window's thank-you has
        # gone back to the welcome by then on its own).
        self.screen = screen
        for name, display in list(self._displays.items()):
            self._show_on(name, display)

    def _show_on(self, name: str, display: Display) -> None:
        try:
            display.show(self.screen)
        except Exception:  # a display's own bug or device: logged, and the sale goes on
            log.exception("customer display %r failed to show %s", name, self.screen.phase)

    # -- what the counter says -------------------------------------------------------------------------

    def welcome(self) -> None:
        self.show(Screen())

    def cart(self, lines: tuple[Line, ...]) -> None:
        """The cart as it is now (empty: back to the welcome), unless a QR or an outcome is on show for it."""
        if self.screen.phase in (Phase.PAID, Phase.REFUND) and not lines:
            return  # the counter clears its cart after a sale: the thank-you stays until the next scan
        self.show(cart_screen(lines))

    def waiting_qr(self, lines: tuple[Line, ...], amount_fen: int, qr_content: str,
                   apps: tuple[App, ...] = ()) -> None:
        self.show(Screen(Phase.QR, lines, amount_fen, qr_content, apps))

    def waiting_password(self, lines: tuple[Line, ...], amount_fen: int, app: App | None) -> None:
        """The charge of the customer's payment code waits for their password (USERPAYING / WAIT_BUYER_PAY)."""
        self.show(Screen(Phase.PASSWORD, lines, amount_fen, apps=(app,) if app else ()))

    def paid(self, amount_fen: int, by: PaidBy, *, received_fen: int | None = None,
             change_fen: int | None = None) -> None:
        """A sale is paid: shown with the change, and spoken when the platform saw an app pay ("微信收款…",
        "收款…"). Paid by "qr" while that QR is on show: the app is its only one, if it takes one only."""
        if by == "qr" and self.screen.phase is Phase.QR and len(self.screen.apps) == 1:
            by = self.screen.apps[0]
        self.show(Screen(Phase.PAID, total_fen=amount_fen, paid_by=by, received_fen=received_fen,
                         change_fen=change_fen))
        if by in ("wechat", "alipay", "qr"):
            self.voice.say(Announcement(paid_event(None if by == "qr" else by), amount_fen))

    def refunded(self, amount_fen: int) -> None:
        """A refund is done (to the customer's app, or in cash): shown and spoken ("退款…元")."""
        self.show(Screen(Phase.REFUND, total_fen=amount_fen))
        self.voice.say(Announcement(Event.REFUND, amount_fen))
