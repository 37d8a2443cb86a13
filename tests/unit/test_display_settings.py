"""The customer's displays and the spoken confirmation as owner settings: each page saves its own section, only an
owner approves, every change is audited, and a pole port that is no serial port is refused before it is saved."""

from __future__ import annotations

import pytest

from kameng_desk.usecases import shop_admin
from kameng_desk.usecases.errors import NotOwnerError
from kameng_desk.usecases.shop_admin import DisplaySettings, InvalidSettingError, ShopSettings
from local_cache import Store, audit
from tests.factories import make_staff


@pytest.fixture
def shop(tmp_path):
    store = Store.open(tmp_path)
    owner = make_staff(store, "老王", "owner", "2468")
    cashier = make_staff(store, "小李", "cashier", "1234")
    yield store, owner, cashier
    store.close()


def test_off_until_set_and_the_voice_on(shop) -> None:
    store, _, _ = shop
    assert shop_admin.load(store.conn(), DisplaySettings) == DisplaySettings("", "", 9600)
    assert shop_admin.load(store.conn()).spoken_confirmation is True


def test_each_section_saves_its_own_settings_and_is_audited(shop) -> None:
    store, owner, cashier = shop
    shop_admin.save(store, ShopSettings(shop_name="星星网吧"), staff_id=cashier.id, approver_id=owner.id)
    displays = DisplaySettings(customer_screen=r"\\.\DISPLAY2", pole_port="COM3", pole_baud=2400)
    assert shop_admin.save(store, displays, staff_id=cashier.id, approver_id=owner.id) == [
        "customer_screen", "pole_port", "pole_baud"]
    entry = audit.entries(store.conn(), limit=1)[0]
    assert entry.action == "settings" and entry.approver_id == owner.id and entry.staff_id == cashier.id
    assert shop_admin.load(store.conn(), DisplaySettings) == displays
    assert shop_admin.load(store.conn()).shop_name == "星星网吧"  # the other section is untouched
    quiet = ShopSettings(shop_name="星星网吧", spoken_confirmation=False)
    assert shop_admin.save(store, quiet, staff_id=owner.id, approver_id=owner.id) == ["spoken_confirmation"]
    assert shop_admin.load(store.conn(), DisplaySettings) == displays


@pytest.mark.parametrize(("bad", "name"), [
    (DisplaySettings(pole_port="C:\\orders.txt"), "pole_port"),
    (DisplaySettings(pole_port="/home/shop/orders.txt"), "pole_port"),
    (DisplaySettings(pole_port="COM0"), "pole_port"),
    (DisplaySettings(pole_port="/dev/../home/shop/orders.txt"), "pole_port"),  # out of /dev and into a file
    (DisplaySettings(pole_port="/dev/./../etc/passwd"), "pole_port"),
    (DisplaySettings(pole_baud=115200), "pole_baud"),
    (DisplaySettings(customer_screen="x" * 201), "customer_screen"),
])
def test_bad_values_are_refused_and_nothing_is_saved(shop, bad: DisplaySettings, name: str) -> None:
    store, owner, _ = shop
    with pytest.raises(InvalidSettingError) as refused:
        shop_admin.save(store, bad, staff_id=owner.id, approver_id=owner.id)
    assert refused.value.name == name
    assert shop_admin.load(store.conn(), DisplaySettings) == DisplaySettings()


def test_serial_ports_of_both_systems_are_taken(shop) -> None:
    store, owner, _ = shop
    for port in ("COM12", "com3", "/dev/ttyUSB0", "/dev/serial/by-id/usb-Prolific_PL2303-if00-port0"):
        shop_admin.save(store, DisplaySettings(pole_port=port), staff_id=owner.id, approver_id=owner.id)
        assert shop_admin.load(store.conn(), DisplaySettings).pole_port == port


def test_only_an_owner_changes_them(shop) -> None:
    store, _, cashier = shop
    with pytest.raises(NotOwnerError):
        shop_admin.save(store, DisplaySettings(pole_port="COM3"), staff_id=cashier.id, approver_id=cashier.id)
    assert shop_admin.load(store.conn(), DisplaySettings) == DisplaySettings()
