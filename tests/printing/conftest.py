"""Slips for the printing tests: fixed records, printed in China Standard Time."""

from __future__ import annotations

import time

import pytest

from kameng_desk.printing.service import PrintService
from kameng_desk.printing.slips import CardProduct, Shop
from kameng_desk.records.zreport import ApprovedAction, ProductLine, StaffLine, ZReport
from local_cache import Store
from local_cache.codes import CardCode
from local_cache.orders import Order, OrderLine
from local_cache.shifts import Shift
from tests.factories import make_staff, seed_catalog

SHOP = Shop("星空网吧")
LONG_NAME = "腾讯QQ会员年卡十二个月超级会员特惠装（官方正品）"
SALE = Order("o-1", "KM-250101-0007", "sale", "fulfilled", "cash", 7000, "s-1", "2025-01-01T04:05:06.000000Z",
             (OrderLine("p-qb10", "Q币10元", 2, 1000), OrderLine("p-long", LONG_NAME, 1, 5000)),
             cash_received_fen=10000, change_fen=3000)
CODES = (CardCode("c-1", "p-qb10", "CARDNO00000001", "SECRET-QB-000001-ZX", "2026-12-31", "sold", "o-1", False),
         CardCode("c-2", "p-qb10", "CARDNO00000002", "SECRET-QB-000002-ZX", None, "sold", "o-1", False))
QB_PRODUCT = CardProduct("Q币10元", "登录 pay.qq.com，选择“Q卡充值”，输入卡号和卡密。", "https://pay.qq.com/qb")
TOPUP = Order("o-2", "KM-250101-0008", "topup", "fulfilled", "qr_dynamic", 5000, "s-1",
              "2025-01-01T04:10:00.000000Z", (OrderLine("p-hf50", "中国移动话费50元", 1, 5000),),
              topup_state="queued", topup_account="13812345678")
SHIFT = Shift("sh-1", 3, "s-1", "closed", "2025-01-01T01:00:00.000000Z", 20000, "2025-01-01T10:00:00.000000Z",
              "s-1", 88000, 90000, -2000, {"10000": 8, "1000": 8})
Z = ZReport(seq=3, shift=SHIFT, orders=12, sales_by_product=(ProductLine("p-qb10", "Q币10元", 20, 20000, 19000),
            ProductLine("p-long", LONG_NAME, 1, 5000, 4800)), by_payment_method={"cash": 70000, "qr_dynamic": 5000},
            topups_count=1, topups_fen=5000, topups_failed_fen=0,
            voids=(ApprovedAction("void", "o-9", "s-1", "s-0", "2025-01-01T05:00:00.000000Z", "KM-250101-0009",
                                  3000),),
            drawer_openings=2, first_number="KM-250101-0001", last_number="KM-250101-0012", sales_fen=75000,
            before_open_orders=1, before_open_fen=5000, cost_fen=23800,
            by_staff=(StaffLine("s-1", "小李", 11, 75000, 23800),))


@pytest.fixture
def china_time(monkeypatch):
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset to print in a fixed time zone")
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def shop(tmp_path):
    """A store with a catalog and an owner, and a way to start PrintService threads (stopped afterwards)."""
    store = Store.open(tmp_path / "data")
    seed_catalog(store)
    owner = make_staff(store)
    services: list[PrintService] = []

    def start(**kw) -> PrintService:
        service = PrintService(store, poll_seconds=0.05, **kw)
        services.append(service)
        service.start()
        return service
    yield store, owner, start
    for service in services:
        service.stop()
    store.close()
