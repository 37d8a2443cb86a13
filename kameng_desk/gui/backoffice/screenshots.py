"""Screenshots of the back office on a logged-in demo window (called from kameng_desk.gui.screenshots).

A few orders, a closed shift with a short count and an open one are made first, through the database
thread like the app itself, so every screen shows real figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from kameng_desk.gui.refund_dialog import RefundDialog
from kameng_desk.usecases import cash_shift, refunds
from kameng_desk.usecases.cash_shift import DENOMINATIONS_FEN, close_shift, open_shift
from kameng_desk.usecases.handover import reveal_codes
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, staff


def _settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _wait_until(loaded: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """A tab loads when it is first shown, through the database thread: wait for its rows before the picture."""
    deadline = time.monotonic() + timeout_s
    while not loaded():
        if time.monotonic() > deadline:
            raise TimeoutError("a back-office tab did not load its rows for the screenshot")
        _settle(50)


def _run(window, fn: Callable[[Store], Any]) -> Any:
    """Run on the database thread and wait for the answer (screenshots only: the app never waits)."""
    box: dict[str, Any] = {}
    loop = QEventLoop()

    def keep(key: str) -> Callable[[Any], None]:
        return lambda value: (box.__setitem__(key, value), loop.quit())
    window.context.worker.run(fn, keep("ok"), keep("error"))
    loop.exec()
    if "error" in box:
        raise box["error"]
    return box["ok"]


def _day(store: Store, staff_id: str, owner_id: str) -> None:
    for cart, method in (([CartLine("qb30", 2)], "cash"), ([CartLine("wy50", 1)], "qr_static"),
                         ([CartLine("qb10", 3), CartLine("sd30", 1)], "cash")):
        sale = sell_codes(store, staff_id=staff_id, cart=cart, payment_method=method)
        reveal_codes(store, order_id=sale.order.id, staff_id=staff_id)
    record_topup(store, staff_id=staff_id, product_id="hf50", account="13812345678")


def _notes_for(fen: int) -> dict[int, int]:
    counts: dict[int, int] = {}
    for denomination in DENOMINATIONS_FEN:
        counts[denomination], fen = divmod(fen, denomination)
    return {d: n for d, n in counts.items() if n}


def prepare(window) -> None:
    user = window.context.user

    def work(store: Store) -> None:
        owner = next(s for s in staff.list_all(store.conn()) if s.is_owner)
        _day(store, user.id, owner.id)
        expected = cash_shift.status(store.conn()).expected_fen
        close_shift(store, staff_id=user.id, counts=_notes_for(expected - 3300))  # a drawer ￥33 short
        open_shift(store, staff_id=user.id, float_fen=50_000)
        _day(store, user.id, owner.id)
    _run(window, work)


def _grab(widget: QWidget, out_dir: Path, name: str, lang: str, written: list[Path]) -> None:
    _settle()
    path = out_dir / f"backoffice_{name}_{lang}.png"
    widget.grab().save(str(path))
    written.append(path)


def shoot(window, out_dir: Path, lang: str) -> list[Path]:
    """Open each back-office tab (and its main dialogs) and save backoffice_<tab>_<lang>.png."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    prepare(window)
    window.open_backoffice()
    page = window.backoffice
    owner = _run(window, lambda store: next(s for s in staff.list_all(store.conn()) if s.is_owner))
    for gate in (page.reports.gate, page.audit.gate):
        gate.unlock(owner)  # what an owner's PIN does; the lock itself is tested in tests/gui
    _settle(800)

    page.tabs.setCurrentWidget(page.shifts)
    for fen, n in ((10000, 6), (5000, 1), (1000, 1), (100, 4)):  # ￥664 against ￥670: a short count
        page.shifts.counts[fen].setValue(n)
    _grab(window, out_dir, "shifts", lang, written)
    page.shifts.show_z(0)
    _settle()
    z = window.findChild(QDialog, "zReportDialog")
    _grab(z, out_dir, "zreport", lang, written)
    z.accept()

    page.tabs.setCurrentWidget(page.orders)
    _wait_until(lambda: bool(page.orders.model.rows))
    _grab(window, out_dir, "orders", lang, written)
    page.orders.open_detail(0)
    _settle()
    detail = window.findChild(QDialog, "orderDetailDialog")
    _grab(detail, out_dir, "orderdetail", lang, written)
    detail.reject()
    # 退款: a sale whose codes never left, refunded whole (its codes back on the shelf).
    user = window.context.user
    plan = _run(window, lambda store: refunds.plan(store.conn(), sell_codes(
        store, staff_id=user.id, cart=[CartLine("qb30", 2)]).order.id))
    refund = RefundDialog(plan, window)
    refund.show()
    _grab(refund, out_dir, "refund", lang, written)
    refund.reject()

    page.tabs.setCurrentWidget(page.stock)
    _wait_until(lambda: page.stock.table.rowCount() > 0)
    _grab(window, out_dir, "stock", lang, written)
    page.stock.open_restock()
    _settle()
    _grab(window.findChild(QDialog, "restockDialog"), out_dir, "restock", lang, written)
    window.findChild(QDialog, "restockDialog").reject()

    page.tabs.setCurrentWidget(page.reports)
    _grab(window, out_dir, "reports", lang, written)

    page.tabs.setCurrentWidget(page.audit)
    page.audit.verify()
    _grab(window, out_dir, "audit", lang, written)
    for box in window.findChildren(QMessageBox):
        box.close()
    window.back_to_counter()
    return written


if __name__ == "__main__":
    import os
    import sys
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_SCALE_FACTOR", "1")
    from kameng_desk.demo import CASHIER, start_demo
    from kameng_desk.gui.app import prepare_app
    from kameng_desk.gui.i18n import install_translation
    from kameng_desk.gui.main_window import MainWindow
    from kameng_desk.gui.worker import DbWorker

    app = prepare_app()
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    for language in ("zh_CN", "en"):
        translators = install_translation(app, language)
        session = start_demo(Path(tempfile.mkdtemp(prefix="kameng-bo-shots-")))
        worker = DbWorker(session.store)
        win = MainWindow(worker, engine=session.engine)
        win.resize(1180, 760)
        win.show()
        cashier = next(s for s in staff.list_all(session.store.conn()) if s.name == CASHIER)
        session.store.close_thread_connection()
        open_shift(session.store, staff_id=cashier.id, float_fen=500_00)  # the float, as the full script counts it
        session.store.close_thread_connection()
        win._logged_in(cashier)
        for path in shoot(win, out, language):
            print(path)
        session.engine.stop()
        worker.stop()
        session.close()
        for t in translators:
            app.removeTranslator(t)
