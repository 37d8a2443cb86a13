"""What the customer sees and hears: one Screen fanned out to the displays that are on, the pole display's reading
of it, and the spoken confirmation for payments by an app and refunds (never for cash)."""

from __future__ import annotations

import io
import wave

import pytest

from kameng_desk.pole_display import Lamp
from kameng_desk.records.voice import Event, Voice, join_clips, words
from kameng_desk.usecases.customer_view import CustomerView, Line, Phase, PoleOut, Screen

QB = Line("Q币10元", 2, 10_00)
WY = Line("网易一卡通50元", 1, 50_00)


class Recorder:
    def __init__(self) -> None:
        self.screens: list[Screen] = []
        self.closed = False

    def show(self, screen: Screen) -> None:
        self.screens.append(screen)

    def close(self) -> None:
        self.closed = True


class Broken(Recorder):
    def show(self, screen: Screen) -> None:
        raise OSError("the cable came out")


def frames(audio: bytes) -> int:
    with wave.open(io.BytesIO(audio)) as wav:
        return wav.getnframes()


@pytest.fixture
def heard() -> list[bytes]:
    return []


@pytest.fixture
def view(heard) -> CustomerView:
    return CustomerView(Voice(heard.append))


def test_every_display_sees_the_cart_then_the_paid_sale_with_its_change(view, heard) -> None:
    window, pole = Recorder(), Recorder()
    view.attach("window", window)
    view.attach("pole", pole)
    view.cart((QB,))
    view.cart((QB, WY))
    view.cart((QB, WY))  # redrawn on every key in the cash field: shown once
    view.paid(70_00, "cash", received_fen=100_00, change_fen=30_00)
    view.cart(())  # the counter clears its cart after the sale: the thank-you stays
    assert window.screens == pole.screens
    assert [s.phase for s in window.screens] == [Phase.WELCOME, Phase.CART, Phase.CART, Phase.PAID]
    assert window.screens[2].total_fen == 70_00 and window.screens[2].lines == (QB, WY)
    assert window.screens[3].change_fen == 30_00 and window.screens[3].received_fen == 100_00
    assert heard == []  # cash is not spoken
    view.cart((WY,))  # the next customer
    assert window.screens[-1].phase is Phase.CART


def test_the_password_wait_is_shown_once_however_often_the_counter_polls(view, heard) -> None:
    window = Recorder()
    view.attach("window", window)
    view.cart((QB,))
    for _ in range(3):  # the counter asks the platform again every moment, and says the wait each time
        view.waiting_password((QB,), 20_00, "alipay")
    view.paid(20_00, "alipay")
    assert [s.phase for s in window.screens] == [Phase.WELCOME, Phase.CART, Phase.PASSWORD, Phase.PAID]
    assert window.screens[2].apps == ("alipay",) and window.screens[2].total_fen == 20_00
    assert len(heard) == 1  # 支付宝收款…, once the password was entered


def test_a_qr_payment_is_spoken_with_its_app(view, heard) -> None:
    view.waiting_qr((QB,), 20_00, "weixin://wxpay/bizpayurl?pr=abc", ("wechat",))
    view.paid(20_00, "qr")
    assert view.screen.paid_by == "wechat"  # the QR on show takes WeChat only
    assert frames(heard[-1]) == frames(join_clips(words(Event.WECHAT, 20_00)))
    view.waiting_qr((QB,), 20_00, "https://pay.example/x", ("wechat", "alipay"))
    view.paid(20_00, "qr")  # either app could have paid: said without a name
    assert frames(heard[-1]) == frames(join_clips(words(Event.PAID, 20_00)))
    view.paid(1_05, "alipay")  # a scanned payment code says its app
    assert frames(heard[-1]) == frames(join_clips(words(Event.ALIPAY, 1_05)))
    view.paid(5_00, "shop_qr")  # the shop's own QR, confirmed by the cashier: nothing verified it, nothing said
    assert len(heard) == 3
    view.refunded(3_00)
    assert view.screen == Screen(Phase.REFUND, total_fen=3_00)
    assert len(heard) == 4 and frames(heard[-1]) == frames(join_clips(words(Event.REFUND, 3_00)))


def test_a_second_refund_of_the_same_amount_is_shown_again(view, heard) -> None:
    """The window's thank-you goes back to the welcome on its own after a while; a second refund of 10 元 must
    reach it again, not be dropped as a repeat of the first (while the voice says it)."""
    window = Recorder()
    view.attach("window", window)
    view.refunded(10_00)
    view.refunded(10_00)
    assert [s.phase for s in window.screens] == [Phase.WELCOME, Phase.REFUND, Phase.REFUND]
    assert len(heard) == 2
    view.cart((QB,))
    view.cart((QB,))  # a redraw of the same cart is still sent once
    assert [s.phase for s in window.screens][3:] == [Phase.CART]


def test_a_failing_display_never_stops_the_others_or_the_sale(view, caplog) -> None:
    good = Recorder()
    view.attach("pole", Broken())
    view.attach("window", good)
    view.cart((QB,))
    assert good.screens[-1].phase is Phase.CART and "the cable came out" in caplog.text
    view.detach("window")
    assert good.closed and view.attached("window") is None


@pytest.mark.parametrize(("screen", "reading"), [
    (Screen(), None),
    (Screen(Phase.CART, (QB,), 20_00), (Lamp.TOTAL, 20_00)),
    (Screen(Phase.QR, (QB,), 20_00, "x"), (Lamp.TOTAL, 20_00)),
    (Screen(Phase.PASSWORD, (QB,), 20_00, apps=("alipay",)), (Lamp.TOTAL, 20_00)),
    (Screen(Phase.PAID, total_fen=70_00, paid_by="cash", received_fen=100_00, change_fen=30_00),
     (Lamp.CHANGE, 30_00)),
    (Screen(Phase.PAID, total_fen=70_00, paid_by="cash", received_fen=70_00, change_fen=0), (Lamp.RECEIVED, 70_00)),
    (Screen(Phase.PAID, total_fen=20_00, paid_by="wechat"), (Lamp.RECEIVED, 20_00)),
    (Screen(Phase.REFUND, total_fen=5_00), (Lamp.OFF, 5_00)),
])
def test_the_pole_display_shows_the_total_then_the_change(screen: Screen, reading) -> None:
    assert PoleOut.reading(screen) == reading
