"""The owner's automatic-restock configuration, for tests and benchmarks whose desk needs codes after its first sync.

Since issue #15 nothing restocks unless the owner set a policy: this writes the policies the owner would (every card
product of the seeded catalog keeps `keep` codes) and a daily budget, before the catalog is even loaded (a policy
names a product id; the engine reads those of the catalog's products), so the first sync restocks as it used to.
"""

from __future__ import annotations

from kameng_platform.seed import CATALOG
from local_cache import Store, settings
from local_cache.ids import utc_now


def keep_stocked(store: Store, keep: int, *, budget_fen: int = 10_000_000) -> None:
    with store.transaction() as conn:
        for product_id, _category, _name, kind, *_ in CATALOG:
            if kind == "card":
                conn.execute("INSERT OR REPLACE INTO restock_policies(product_id, keep_codes, updated_at) "
                             "VALUES (?, ?, ?)", (product_id, keep, utc_now()))
        settings.put(conn, settings.AUTO_RESTOCK_BUDGET_FEN, budget_fen)
