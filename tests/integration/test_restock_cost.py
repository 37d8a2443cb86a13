"""A restocked code keeps the price the platform charged for it, and its sale line that cost."""

from __future__ import annotations

from kameng_desk.usecases.sell import CartLine, sell_codes
from local_cache import staff, sync_state


def test_codes_keep_the_charged_price_even_when_the_catalog_is_stale(desk, platform) -> None:
    store, engine = desk
    engine.sync_once()
    with store.transaction() as conn:
        # The catalog's tier price as last synced is stale; the charge is what the shop paid.
        conn.execute("UPDATE products SET cost_price_fen = 1 WHERE id = 'wy50'")
        conn.execute("DELETE FROM card_codes WHERE product_id = 'wy50'")
        cashier = staff.create(conn, "小李", "cashier", "1357")
    balance = int(sync_state.get(store.conn(), "balance_fen"))
    assert engine.restock("wy50", 3) == 3
    charged = balance - int(sync_state.get(store.conn(), "balance_fen"))
    costs = [r[0] for r in store.conn().execute("SELECT cost_fen FROM card_codes WHERE product_id = 'wy50'")]
    assert costs == [charged // 3] * 3 and charged // 3 > 1
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine("wy50", 2)])
    assert store.conn().execute("SELECT cost_fen FROM order_lines WHERE order_id = ?",
                                (sale.order.id,)).fetchone()[0] == 2 * (charged // 3)
