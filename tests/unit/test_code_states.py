"""Card codes move only along local_cache/states.py's CARD_CODE machine: every move the store makes in a code's
life is an edge of it, and a move the machine does not have is refused with nothing written."""

from __future__ import annotations

import pytest

from kameng_desk.usecases import qr_sale
from kameng_desk.usecases.handover import void_sale
from kameng_desk.usecases.sell import CartLine, sell_codes
from local_cache import Store, codes, orders, states
from local_cache.errors import InvalidTransitionError
from tests.factories import QB10, make_staff, seed_catalog


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=2, products=(QB10,))
    yield s
    s.close()


def _states(store: Store) -> dict[str, str]:
    return dict(store.conn().execute("SELECT id, state FROM card_codes"))


def test_a_codes_whole_life_runs_along_the_machine(store) -> None:
    owner = make_staff(store)
    moves: set[tuple[str, str]] = set()

    def step(action) -> None:
        before = _states(store)
        action()
        moves.update((before[i], s) for i, s in _states(store).items() if before[i] != s)

    held: list[qr_sale.QrSession] = []
    step(lambda: held.append(qr_sale.reserve(store, staff_id=owner.id, cart=[CartLine(QB10.id, 2)],
                                             method="static")))  # available -> reserved
    step(lambda: qr_sale.cancel(store, None, held[-1], staff_id=owner.id))  # reserved -> available
    step(lambda: held.append(qr_sale.reserve(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)],
                                             method="static")))
    step(lambda: qr_sale.confirm_static(store, held[-1], staff_id=owner.id, approver_id=None))  # reserved -> sold
    step(lambda: void_sale(store, order_id=held[-1].order_id, staff_id=owner.id, approver_id=owner.id))
    step(lambda: sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)]))  # available -> sold
    with store.transaction() as conn:
        unsold = next(i for i, s in _states(store).items() if s == "available")
        step(lambda: codes.revoke(conn, unsold))  # available -> quarantined

    assert moves == {("available", "reserved"), ("reserved", "available"), ("reserved", "sold"),
                     ("sold", "available"), ("available", "sold"), ("available", "quarantined")}
    assert all(target in states.CARD_CODE[source] for source, target in moves)


def test_a_move_the_machine_lacks_is_refused_and_writes_nothing(store, monkeypatch) -> None:
    """The repositories ask the machine, not a copy of it: take the void's edge away and the void is refused,
    the sale and its codes as they were."""
    owner = make_staff(store)
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    monkeypatch.setitem(states.CARD_CODE, "sold", set())
    before = _states(store)
    with pytest.raises(InvalidTransitionError):
        void_sale(store, order_id=sale.order.id, staff_id=owner.id, approver_id=owner.id)
    assert _states(store) == before
    assert orders.get(store.conn(), sale.order.id).state == "fulfilled"


def test_a_repeated_revocation_is_old_news(store) -> None:
    """The changes feed may bring a revocation twice (replayed after a crash): the code stays quarantined and the
    round goes on."""
    with store.transaction() as conn:
        assert codes.revoke(conn, f"{QB10.id}-code-0") == "quarantined"
    with store.transaction() as conn:
        assert codes.revoke(conn, f"{QB10.id}-code-0") == "quarantined"
    assert _states(store)[f"{QB10.id}-code-0"] == "quarantined"
