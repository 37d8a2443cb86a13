"""What the counter says when the sync round reports an order the platform refused."""

from __future__ import annotations

from kameng_desk.demo import CASHIER, CASHIER_PIN
from kameng_desk.sync.status import OrderRejected
from tests.gui.test_backoffice_day import start

# The platform's reason as order_push writes it (tests/integration/test_frozen_reseller.py gets it for real).
FROZEN = "reseller_frozen: the platform has frozen this reseller's account"


def test_a_refusal_the_owner_can_act_on_is_said_in_their_words(qtbot, window) -> None:
    win, _ = window
    start(qtbot, win, CASHIER, CASHIER_PIN)
    win.show_event(OrderRejected("o-1", "KM-261201-0007", FROZEN))
    told = win.counter.outcome.text()
    assert "KM-261201-0007" in told and "平台已冻结本店的账户" in told and "reseller" not in told
    win.show_event(OrderRejected("o-2", "KM-261201-0008", "total 1 does not equal the sum of the lines (2)"))
    told = win.counter.outcome.text()
    assert "KM-261201-0008" in told and "查看原因" in told and "total" not in told
