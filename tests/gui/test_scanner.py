"""The scan box as a scanner and a cashier's keyboard use it, on the embedded demo platform: key bursts at scanner
speed, typed keys, arrows and Enter; the sounds are heard by a recorder given to the window as its player."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMessageBox

from kameng_desk.demo import CASHIER, CASHIER_PIN, start_demo
from kameng_desk.gui.app import STYLE
from kameng_desk.gui.main_window import MainWindow
from kameng_desk.gui.worker import DbWorker
from kameng_desk.records.sounds import Cue, Sounds
from kameng_platform import admin
from kameng_platform.db import make_engine
from local_cache import audit, catalog
from tests.gui.conftest import approve_as_owner, log_in

pytestmark = pytest.mark.gui

EAN_QB30 = "6901234567892"  # set on the platform, reaches the desk by sync
TYPING_MS = 90  # a person's pace between keys; qtbot's plain keyClicks is a scanner's


@pytest.fixture
def counter(qtbot, tmp_path):
    session = start_demo(tmp_path / "demo")
    engine = make_engine(session.platform_settings.db_url)
    with engine.begin() as conn:
        admin.upsert_product(conn, product_id="qb30", category_id="qq", name="Q币 30元", kind="card",
                             face_value_fen=3000, suggested_retail_fen=3000, tier_prices={"standard": 2880},
                             barcode=EAN_QB30)
    engine.dispose()
    session.engine.sync_once()
    session.store.close_thread_connection()
    heard: list[Cue] = []
    worker = DbWorker(session.store)
    win = MainWindow(worker, engine=session.engine, login_hint="demo", sounds=Sounds(heard.append))
    qtbot.addWidget(win)
    win.show()
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter and win.counter.grid.count() > 0)
    yield win, session, heard
    session.engine.stop()
    worker.stop()
    session.close()


def cart(win) -> dict[str, int]:
    return dict(win.counter.cart.lines)


def tiles(win) -> list[str]:
    grid = win.counter.grid
    return [grid.item(i).text().split("\n")[0] for i in range(grid.count())]


def scan(qtbot, win, code: str, enter: bool = True) -> None:
    qtbot.keyClicks(win.counter.search, code)
    if enter:
        qtbot.keyClick(win.counter.search, Qt.Key.Key_Return)


def test_a_scan_adds_an_unknown_scan_is_said_and_the_next_scan_works(qtbot, counter) -> None:
    win, _, heard = counter
    box, message = win.counter.search, win.counter.scan_message
    scan(qtbot, win, EAN_QB30)
    assert cart(win) == {"qb30": 1} and box.text() == "" and heard == [Cue.SUCCESS]
    scan(qtbot, win, "6909999999991")
    assert message.isVisible() and "6909999999991" in message.text() and "没有找到" in message.text()
    top = win.counter.grid.mapTo(win, win.counter.grid.rect().topLeft())
    assert heard[-1] is Cue.ERROR and box.text() == ""  # said at once, and nothing left to spoil the next scan
    scan(qtbot, win, EAN_QB30)
    assert cart(win) == {"qb30": 2} and message.text() == "" and heard[-1] is Cue.SUCCESS
    assert win.counter.grid.mapTo(win, win.counter.grid.rect().topLeft()) == top  # the tiles never jump
    # A scanner sending no Enter: the end of its burst is the end of the code.
    scan(qtbot, win, EAN_QB30, enter=False)
    qtbot.waitUntil(lambda: cart(win) == {"qb30": 3}, timeout=2000)
    assert box.text() == ""
    # Half a word typed, then a scan: the scanned code counts, not what was typed before it.
    qtbot.keyClicks(box, "wy", delay=TYPING_MS)
    qtbot.wait(TYPING_MS)
    scan(qtbot, win, EAN_QB30)
    assert cart(win) == {"qb30": 4} and box.text() == ""
    # An unknown code that happens to be part of a product's name is still an unknown scan.
    scan(qtbot, win, "100")
    qtbot.keyClicks(box, "10000")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert cart(win) == {"qb30": 4} and heard[-1] is Cue.ERROR and box.text() == ""


def test_qb10_adds_q10_typed_or_scanned(qtbot, counter) -> None:
    win, _, heard = counter
    box = win.counter.search
    qtbot.keyClicks(box, "qb10", delay=TYPING_MS)
    assert tiles(win)[:2] == ["Q币 10元", "Q币 100元"]  # the whole number first
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert cart(win) == {"qb10": 1} and box.text() == ""
    qtbot.keyClicks(box, "QB 10", delay=TYPING_MS)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    scan(qtbot, win, "qb10")
    assert cart(win) == {"qb10": 3} and heard == [Cue.SUCCESS] * 3


def test_arrow_keys_move_the_highlight_and_enter_adds_it(qtbot, counter) -> None:
    win, _, _ = counter
    box, grid = win.counter.search, win.counter.grid
    assert tiles(win)[:3] == ["Q币 10元", "Q币 30元", "Q币 100元"]  # natural order, not 10, 100, 30
    qtbot.keyClicks(box, "qb", delay=TYPING_MS)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # three match: the first is highlighted, nothing added yet
    assert cart(win) == {} and grid.currentRow() == 0 and "3 个商品" in win.counter.scan_message.text()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up):
        qtbot.keyClick(box, key)
    assert grid.currentItem().text().startswith("Q币 30元") and box.hasFocus()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert cart(win) == {"qb30": 1} and box.text() == ""
    qtbot.keyClicks(box, "wyykt", delay=TYPING_MS)
    assert tiles(win) == ["网易一卡通 50元", "网易一卡通 100元"]
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Return):
        qtbot.keyClick(box, key)  # the highlight stops at the last result
    assert cart(win) == {"qb30": 1, "wy100": 1}
    # A click on a tile adds it and leaves no highlight behind; the next scan goes to the box.
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.visualItemRect(grid.item(0)).center())
    assert cart(win) == {"qb30": 1, "wy100": 1, "qb10": 1} and grid.selectedItems() == [] and box.hasFocus()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # an empty box: on to the cash, nothing added again
    assert cart(win) == {"qb30": 1, "wy100": 1, "qb10": 1}


def test_the_selected_tile_shows_its_name(qtbot, counter) -> None:
    """The selected tile rendered as an empty light box (shared/review/selected-tile-blank.png)."""
    win, _, _ = counter
    grid, app = win.counter.grid, QApplication.instance()
    app.setStyleSheet(STYLE)  # the app's style, as prepare_app sets it (the test session runs without)
    try:
        qtbot.keyClick(win.counter.search, Qt.Key.Key_Down)
        assert grid.currentRow() == 0
        for width in (1024, 1366):
            win.resize(width, 768)
            qtbot.wait(50)
            image = grid.viewport().grab(grid.visualItemRect(grid.item(0))).toImage()
            image.save(os.environ.get("SCAN15_SHOT", "/dev/null") + f"-{width}.png")
            colours = [QColor(image.pixel(x, y)) for x in range(image.width()) for y in range(image.height())]
            fill = sum(c.blue() > 150 and c.red() < 60 for c in colours)  # the selection's strong blue
            text = sum(c.lightness() > 230 for c in colours)  # white letters on it
            assert fill > len(colours) // 3 and text > 100, (width, fill, text)
    finally:
        app.setStyleSheet("")


def open_attach_dialog(qtbot, win) -> QDialog:
    """Right click on the first tile (Q币 10元), 绑定条码."""
    grid = win.counter.grid
    grid.customContextMenuRequested.emit(grid.visualItemRect(grid.item(0)).center())
    menu = next(m for m in win.counter.findChildren(QMenu, "tileMenu") if m.isVisible())
    next(a for a in menu.actions() if a.objectName() == "attachBarcode").trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in win.counter.findChildren(QDialog, "barcodeDialog")))
    return next(d for d in win.counter.findChildren(QDialog, "barcodeDialog") if d.isVisible())


def test_the_owner_attaches_a_barcode_by_scanning_it_once(qtbot, counter) -> None:
    win, session, heard = counter
    dialog = open_attach_dialog(qtbot, win)
    qtbot.keyClicks(dialog.code, EAN_QB30)  # qb30's platform code: refused, one code finds one product
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    approve_as_owner(qtbot, win, "8888")
    qtbot.waitUntil(lambda: win.counter.findChild(QMessageBox, "errorBox") is not None)
    refusal = win.counter.findChild(QMessageBox, "errorBox")
    assert "Q币 30元" in refusal.text() and heard[-1] is Cue.ERROR
    refusal.done(0)
    refusal.setObjectName("")

    dialog = open_attach_dialog(qtbot, win)
    qtbot.keyClicks(dialog.code, "SHELF-Q10")
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    approve_as_owner(qtbot, win, "8888")
    qtbot.waitUntil(lambda: win.counter.index.by_barcode("SHELF-Q10") is not None)
    assert "SHELF-Q10" in win.counter.scan_message.text()
    win.counter.search.setFocus()
    scan(qtbot, win, "SHELF-Q10")
    assert cart(win) == {"qb10": 1}
    assert catalog.get(session.store.conn(), "qb10").local_barcode == "SHELF-Q10"
    entry = audit.entries(session.store.conn(), limit=1)[0]
    assert (entry.action, entry.subject, entry.detail["barcode"]) == ("barcode_attach", "qb10", "SHELF-Q10")
    assert not win.counter.findChildren(QMessageBox, "errorBox")


def test_the_owner_switches_the_sounds_off(qtbot, counter) -> None:
    win, _, heard = counter
    qtbot.keyClick(win.counter.search, Qt.Key.Key_F10)
    win.backoffice.tabs.setCurrentWidget(win.settings)
    page = win.settings.general
    qtbot.waitUntil(lambda: page.current.shop_name != "" and page.sounds.isChecked())
    page.sounds.setChecked(False)
    page.save_button.click()
    approve_as_owner(qtbot, win, "8888")
    qtbot.waitUntil(lambda: page.result.text() == "已保存。")
    win.back_to_counter()
    qtbot.waitUntil(lambda: not win.context.sounds.enabled)
    heard.clear()
    scan(qtbot, win, "6909999999991")
    assert "没有找到" in win.counter.scan_message.text() and heard == []  # still said on screen, silently
