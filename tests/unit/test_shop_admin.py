"""Owner settings: every change approved by an owner and audited; staff admin; un-pairing guarded by the outbox."""

from __future__ import annotations

import pytest

from kameng_desk.usecases import shop_admin
from kameng_desk.usecases.errors import NotOwnerError
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.shop_admin import ShopSettings
from local_cache import Store, audit, outbox, staff, sync_state
from local_cache.errors import StaffDisabledError, WrongPinError
from tests.factories import QB10, make_staff, seed_catalog


@pytest.fixture
def shop(tmp_path):
    store = Store.open(tmp_path)
    owner = make_staff(store, "老王", "owner", "2468")
    cashier = make_staff(store, "小李", "cashier", "1234")
    yield store, owner, cashier
    store.close()


def _last_audit(store: Store):
    return audit.entries(store.conn(), limit=1)[0]


def test_settings_change_is_saved_and_audited_with_both_people(shop) -> None:
    store, owner, cashier = shop
    new = ShopSettings(shop_name="星星网吧", receipt_header="欢迎光临", auto_lock_minutes=10, language="en")
    assert shop_admin.save(store, new, staff_id=cashier.id, approver_id=owner.id) == [
        "shop_name", "receipt_header", "auto_lock_minutes", "language"]
    assert shop_admin.load(store.conn()) == new
    entry = _last_audit(store)
    assert (entry.action, entry.staff_id, entry.approver_id) == ("settings", cashier.id, owner.id)
    seq = entry.seq
    assert shop_admin.save(store, new, staff_id=cashier.id, approver_id=owner.id) == []
    assert _last_audit(store).seq == seq  # nothing changed, nothing written
    assert audit.verify(store.conn()).ok


@pytest.mark.parametrize("bad", [ShopSettings(shop_name=""), ShopSettings(shop_name="店", auto_lock_minutes=0),
                                 ShopSettings(shop_name="店", language="fr"),
                                 ShopSettings(shop_name="店", receipt_header="x" * 201)])
def test_invalid_settings_are_refused_and_nothing_changes(shop, bad) -> None:
    store, owner, _ = shop
    with pytest.raises(shop_admin.InvalidSettingError):
        shop_admin.save(store, bad, staff_id=owner.id, approver_id=owner.id)
    assert shop_admin.load(store.conn()) == ShopSettings()


def test_a_cashier_cannot_approve(shop) -> None:
    store, _, cashier = shop
    with pytest.raises(NotOwnerError):
        shop_admin.save(store, ShopSettings(shop_name="店"), staff_id=cashier.id, approver_id=cashier.id)
    with pytest.raises(NotOwnerError):
        shop_admin.add_staff(store, name="小张", role="cashier", pin="5555", staff_id=cashier.id,
                             approver_id=cashier.id)


def test_staff_add_disable_and_reset_pin(shop) -> None:
    store, owner, _ = shop
    new = shop_admin.add_staff(store, name="小张", role="cashier", pin="5555", staff_id=owner.id, approver_id=owner.id)
    staff.verify_pin(store, new.id, "5555")
    shop_admin.reset_pin(store, new.id, "7777", staff_id=owner.id, approver_id=owner.id)
    with pytest.raises(WrongPinError):
        staff.verify_pin(store, new.id, "5555")
    staff.verify_pin(store, new.id, "7777")
    shop_admin.set_staff_active(store, new.id, False, staff_id=owner.id, approver_id=owner.id)
    with pytest.raises(StaffDisabledError):
        staff.verify_pin(store, new.id, "7777")
    actions = [e.action for e in audit.entries(store.conn(), limit=4)]
    assert actions == ["staff_disable", "pin_failed", "staff_pin_reset", "staff_add"]  # the old PIN, tried


def test_the_last_owner_cannot_be_disabled(shop) -> None:
    store, owner, _ = shop
    with pytest.raises(shop_admin.LastOwnerError):
        shop_admin.set_staff_active(store, owner.id, False, staff_id=owner.id, approver_id=owner.id)
    second = shop_admin.add_staff(store, name="老板娘", role="owner", pin="1357", staff_id=owner.id,
                                  approver_id=owner.id)
    shop_admin.set_staff_active(store, owner.id, False, staff_id=second.id, approver_id=second.id)
    assert [s.id for s in staff.list_all(store.conn()) if s.is_owner] == [second.id]


def test_unpair_is_refused_while_orders_wait_and_forgets_the_platform_after(shop) -> None:
    store, owner, cashier = shop
    seed_catalog(store, stock=2, products=(QB10,))
    with store.transaction() as conn:
        for key, value in (("platform_url", "https://p.example"), ("terminal_id", "t_1"), ("cursor", "42")):
            sync_state.put(conn, key, value)
    store.secrets.set_terminal_secret("s3cret")
    sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 1)], cash_received_fen=None)
    with pytest.raises(shop_admin.UnsyncedOrdersError) as refused:
        shop_admin.unpair(store, staff_id=owner.id, approver_id=owner.id)
    assert refused.value.waiting == 1
    assert sync_state.get(store.conn(), "terminal_id") == "t_1"
    with store.transaction() as conn:
        outbox.mark_done(conn, [seq for (seq,) in conn.execute("SELECT seq FROM outbox")])
    shop_admin.unpair(store, staff_id=owner.id, approver_id=owner.id)
    assert sync_state.get(store.conn(), "terminal_id") is None
    assert sync_state.cursor(store.conn()) == 0
    assert store.secrets.terminal_secret() is None
    assert _last_audit(store).action == "unpair"
