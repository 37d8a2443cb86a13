"""The sync engine: pushes the outbox, pulls the changes feed, restocks, and reports its status.

Runs on its own thread (its own store connection). Every local change that follows a platform answer is
made in one transaction with the bookkeeping that records it (outbox row done, cursor moved, pending
restock cleared), so a crash between two steps repeats a step instead of losing or doubling one.

The thread survives every error: a round that fails for any reason is logged, shown in the status and
retried after a backoff.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import threading
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from kameng_desk.sync.client import PlatformClient
from kameng_desk.sync.errors import NotPairedError, PlatformRefusedError, ServerBusyError, SyncError
from kameng_desk.sync.status import (
    CodeRevoked,
    EventListener,
    OrderRejected,
    PaymentSettled,
    RefundSettled,
    StatusListener,
    StockRestocked,
    SyncEvent,
    SyncStatus,
    TopupStateChanged,
)
from kameng_desk.usecases import qr_sale, refunds, restock_policy
from local_cache import Store, audit, catalog, codes, orders, outbox, sync_state
from local_cache import refunds as refund_rows
from local_cache.catalog import Category, Product
from local_cache.codes import NewCode
from local_cache.connection import Connection
from local_cache.errors import InvalidTransitionError, NotFoundError
from local_cache.ids import utc_now

log = logging.getLogger(__name__)

BATCH = 200


def product_from_wire(p: dict[str, Any]) -> Product:
    return Product(id=p["id"], category_id=p["category_id"], name=p["name"], kind=p["kind"],
                   face_value_fen=int(p["face_value_fen"]), retail_price_fen=int(p["suggested_retail_fen"]),
                   cost_price_fen=int(p["price_fen"]), active=bool(p["active"]), account_rule=p.get("account_rule"),
                   redeem_hint=p.get("redeem_hint") or "", redeem_url=p.get("redeem_url"), barcode=p.get("barcode"))


def _unit_cost(restocked: dict[str, Any]) -> int | None:
    """What one code of a restock cost: the platform charges the tier price for each."""
    charged, n = restocked.get("charged_fen"), len(restocked["codes"])
    return int(charged) // n if charged is not None and n else None


class Backoff:
    """Capped exponential backoff with full jitter, honouring the server's Retry-After."""

    def __init__(self, base: float = 1.0, cap: float = 60.0, rng: random.Random | None = None) -> None:
        self.base, self.cap, self.failures = base, cap, 0
        self._rng = rng or random.Random()

    def next_delay(self, retry_after: float | None = None) -> float:
        self.failures += 1
        delay = self._rng.uniform(0, min(self.cap, self.base * 2 ** self.failures))
        return max(delay, retry_after or 0.0)

    def reset(self) -> None:
        self.failures = 0


class SyncEngine:
    def __init__(self, store: Store, client_factory: Callable[[], PlatformClient | None], *,
                 interval: float = 5.0) -> None:
        self.store = store
        self._client_factory = client_factory
        self._client: PlatformClient | None = None
        self.interval = interval
        self.backoff = Backoff()
        self._status_listeners: list[StatusListener] = []
        self._event_listeners: list[EventListener] = []
        self._status = SyncStatus(paired=False, online=False, orders_waiting=0)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # one round at a time (the loop, a button, a restock)
        # The client reference, swapped by the GUI thread (pairing) while a round may be using the old one: held
        # only to read or swap it, never across a request, so the GUI never waits for a round.
        self._client_lock = threading.Lock()
        self._retired: list[PlatformClient] = []  # forgotten clients, closed when the engine stops

    # -- listeners ------------------------------------------------------------------------------------

    def add_status_listener(self, fn: StatusListener) -> None:
        self._status_listeners.append(fn)

    def add_event_listener(self, fn: EventListener) -> None:
        self._event_listeners.append(fn)

    def remove_status_listener(self, fn: StatusListener) -> None:
        self._status_listeners.remove(fn)

    def remove_event_listener(self, fn: EventListener) -> None:
        self._event_listeners.remove(fn)

    def status(self) -> SyncStatus:
        return self._status

    def _emit(self, event: SyncEvent) -> None:
        for fn in self._event_listeners:
            fn(event)

    def _set_status(self, **changes: Any) -> None:
        conn = self.store.conn()
        fields = dict(self._status.__dict__)
        fields.update(orders_waiting=outbox.pending_count(conn), rejected_orders=orders.rejected_count(conn),
                      **changes)
        self._status = SyncStatus(**fields)
        for fn in self._status_listeners:
            fn(self._status)

    # -- thread ---------------------------------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="kameng-sync", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.forget_client()
        with self._client_lock:
            retired, self._retired = self._retired, []
        for client in retired:
            client.close()

    def forget_client(self) -> None:
        """After pairing or un-pairing: the next round builds a client from the folder's new pairing. The old
        one is closed only when the engine stops: a round, or a QR payment on the database thread, may be using
        it right now (closing it under them was an httpx error that killed the sync thread)."""
        with self._client_lock:
            if self._client is not None:
                self._retired.append(self._client)
            self._client = None

    def wake(self) -> None:
        """Sync now (after a sale, or when the cashier presses 同步)."""
        self._wake.set()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                delay = self.interval
                try:
                    self.sync_once()
                    self.backoff.reset()
                except ServerBusyError as exc:
                    delay = self.backoff.next_delay(exc.retry_after)
                except SyncError as exc:
                    delay = self.backoff.next_delay() if exc.retryable else self.interval * 6
                except Exception:  # logged and shown by sync_once: the thread goes on
                    delay = self.backoff.next_delay()
                self._wake.wait(delay)
                self._wake.clear()
        finally:
            self.store.close_thread_connection()

    # -- one round ------------------------------------------------------------------------------------

    def client(self) -> PlatformClient:
        """The client of the folder's pairing (also the GUI's payment port), built on first use."""
        with self._client_lock:
            if self._client is None:
                self._client = self._client_factory()
                if self._client is None:
                    raise NotPairedError()
            return self._client

    def sync_once(self) -> None:
        with self._lock:
            client: PlatformClient | None = None
            try:
                client = self.client()  # this round's client, even if the GUI thread forgets it meanwhile
                conn = self.store.conn()
                if sync_state.get(conn, "catalog_loaded") is None:
                    self._load_catalog(client)
                self._resume_restock(client)
                self._push_orders(client)
                self._push_voids(client)
                self._push_shift_reports(client)
                self._push_retail_prices(client)
                self._pull(client)
                self._auto_restock(client)
                self._settle_payments(client)
                self._settle_refunds(client)
            except SyncError as exc:
                self._set_status(paired=not isinstance(exc, NotPairedError), online=exc.code not in (
                    "offline", "busy", "bad_reply", "not_paired"), last_error=str(exc), error_kind=None)
                raise
            except Exception as exc:
                self._unexpected(exc, client)
                raise
            self._set_status(paired=True, online=True, last_sync_at=utc_now(), last_error=None, error_kind=None)

    def _unexpected(self, exc: Exception, client: PlatformClient | None) -> None:
        """A bug or a library's error (httpx on a closed client, a reply shaped unlike the contract): log the type
        and where, never the message (it could hold a code or a secret); show it; give the next round a fresh
        client, in case this one is what broke."""
        frames = "\n".join(f"  {f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(exc.__traceback__))
        log.error("sync round failed: %s\n%s", type(exc).__name__, frames)
        if client is not None:
            self._discard(client)
        self._set_status(online=False, last_error=f"Unexpected {type(exc).__name__}; details in the log.",
                         error_kind=type(exc).__name__)

    def _discard(self, client: PlatformClient) -> None:
        """Close this round's client now (no round can be using it: we hold the round lock), unless the GUI
        thread forgot it already; then it is retired and closed at stop."""
        with self._client_lock:
            if self._client is not client:
                return
            self._client = None
        client.close()

    def _load_catalog(self, client: PlatformClient) -> None:
        body = client.catalog()
        with self.store.transaction() as conn:
            for c in body["categories"]:
                catalog.upsert_category(conn, Category(c["id"], c["name"], c["kind"], int(c["sort"])))
            for p in body["products"]:
                catalog.upsert_product(conn, product_from_wire(p))
            for price in body.get("retail_prices", []):  # the shop's prices, set before this counter was loaded
                self._apply_retail(conn, price)
            sync_state.put(conn, "balance_fen", str(int(body["balance_fen"])))
            sync_state.set_cursor(conn, int(body["cursor"]))
            sync_state.put(conn, "catalog_loaded", utc_now())

    def _push_orders(self, client: PlatformClient) -> None:
        while True:
            items = outbox.pending(self.store.conn(), "order", BATCH)
            if not items:
                return
            try:
                results = client.push_orders([i.payload for i in items])
            except SyncError as exc:
                with self.store.transaction() as conn:
                    outbox.record_failure(conn, [i.seq for i in items], str(exc))
                raise
            by_id = {r.get("order_id"): r for r in results}
            accepted: list[tuple[int | None, str]] = []
            rejected: list[OrderRejected] = []
            done: list[int] = []
            for item in items:
                result = by_id.get(item.ref_id) or {}
                status = result.get("status")
                if status in ("accepted", "duplicate"):
                    accepted.append((result.get("total_fen"), item.ref_id))
                elif status in ("rejected", "conflict"):
                    reason = str(result.get("reason") or status)
                    rejected.append(OrderRejected(item.ref_id, item.payload.get("number", ""), reason))
                else:
                    continue  # not answered: stays pending
                done.append(item.seq)
            with self.store.transaction() as conn:
                orders.mark_accepted(conn, accepted)
                for event in rejected:
                    orders.set_sync_result(conn, event.order_id, "rejected", reason=event.reason)
                outbox.mark_done(conn, done)
            for event in rejected:
                self._emit(event)

    def _push_voids(self, client: PlatformClient) -> None:
        for item in outbox.pending(self.store.conn(), "void", BATCH):
            sale = orders.sync_state_of(self.store.conn(), item.ref_id)
            if sale is None or sale == "pending":
                continue  # the sale itself goes up first
            if sale == "accepted":
                self._send_one(item, lambda i: client.void(i.ref_id, i.payload["voided_at"]))
            else:
                self._settle(item.seq, None)

    def _push_shift_reports(self, client: PlatformClient) -> None:
        """After the orders: the platform can check a Z report against the orders it already has."""
        for item in outbox.pending(self.store.conn(), "shift_report", BATCH):
            self._send_one(item, lambda i: client.put_shift_report(i.payload))

    def _push_retail_prices(self, client: PlatformClient) -> None:
        """The owner's latest price of each product changed here. The platform answers the shop's price, which may
        be a later change from another counter that won: this counter sells at that one too, unless the owner
        changed the price here again meanwhile (that change goes up next)."""
        for item in outbox.pending(self.store.conn(), "retail_price", BATCH):
            try:
                body = client.put_retail_price(item.ref_id, item.payload["retail_fen"], item.payload["changed_at"])
            except PlatformRefusedError as exc:
                # Kept with the reason for support, but done: a price still pending would keep this counter
                # deaf to the shop's price of that product.
                with self.store.transaction() as conn:
                    outbox.record_failure(conn, [item.seq], str(exc))
                    outbox.mark_done(conn, [item.seq])
                continue
            with self.store.transaction() as conn:
                outbox.mark_done(conn, [item.seq])
                self._apply_retail(conn, body)

    @staticmethod
    def _apply_retail(conn: Connection, data: dict[str, Any]) -> None:
        """The shop's price of a product, unless the owner changed it here since and that change has not gone up
        yet: the platform decides between the two when it does."""
        if outbox.has_pending(conn, "retail_price", data["product_id"]):
            return
        price = data.get("retail_fen")
        with contextlib.suppress(NotFoundError):  # a product this counter has not loaded: its catalog brings it
            catalog.set_shop_retail(conn, data["product_id"], None if price is None else int(price))

    def _send_one(self, item: outbox.OutboxItem, send: Callable[[outbox.OutboxItem], object]) -> None:
        try:
            send(item)
        except PlatformRefusedError as exc:
            # Refused (a conflict, a sale the platform does not know): it stays in the outbox with the reason
            # for support, and never blocks the items behind it.
            self._settle(item.seq, exc)
            return
        self._settle(item.seq, None)

    def _settle(self, seq: int, refused: Exception | None) -> None:
        with self.store.transaction() as conn:
            if refused is None:
                outbox.mark_done(conn, [seq])
            else:
                outbox.record_failure(conn, [seq], str(refused))

    def _pull(self, client: PlatformClient) -> None:
        while True:
            cursor = sync_state.cursor(self.store.conn())
            page = client.changes(cursor)
            events: list[SyncEvent] = []
            with self.store.transaction() as conn:
                for change in page["changes"]:
                    event = self._apply(conn, change.get("type"), change.get("data") or {})
                    if event is not None:
                        events.append(event)
                sync_state.set_cursor(conn, int(page["next_cursor"]))
            for event in events:
                self._emit(event)
            if not page.get("has_more"):
                return

    def _settle_payments(self, client: PlatformClient) -> None:
        """QR payments no cashier is waiting for (a cancel that could not reach the platform, a session lost to
        a crash): the platform's word settles them, and the cashier is told. Last, so a payment the platform
        refuses to discuss (another terminal's, after re-pairing) holds up nothing; the refusal shows in the status."""
        def announce(settled: qr_sale.Settled) -> None:
            number = orders.get(self.store.conn(), settled.order_id).number
            self._emit(PaymentSettled(settled.order_id, number, settled.outcome))

        if qr_sale.resolve_unsettled(self.store, client, notify=announce):
            self.wake()  # a sale completed here goes up at once, in the next round

    def _settle_refunds(self, client: PlatformClient) -> None:
        """Gateway refunds without an answer (lost, cut off by a crash, started by a failed top-up) are asked for
        again by their ids: the platform executes each once. The cashier hears how each ended."""
        for ended in refunds.resume_pending(self.store, client):
            self._emit(self._refund_settled(self.store.conn(), ended.refund.refund_id))

    @staticmethod
    def _refund_settled(conn: Connection, refund_id: str) -> RefundSettled:
        refund = refund_rows.get(conn, refund_id)
        return RefundSettled(refund.order_id, orders.get(conn, refund.order_id).number, refund.amount_fen,
                             refund.status)

    def _apply(self, conn: Connection, type_: str | None, data: dict[str, Any]) -> SyncEvent | None:
        if type_ == "product":
            if not catalog.has_category(conn, data["category_id"]):
                catalog.upsert_category(conn, Category(data["category_id"], data["category_id"], data["kind"]))
            catalog.upsert_product(conn, product_from_wire(data))
        elif type_ == "order_status":
            try:
                order = orders.get(conn, data["order_id"])
                changed = orders.set_topup_state(conn, order.id, data["topup_state"], data.get("reason"))
            except (NotFoundError, InvalidTransitionError):
                return None  # another terminal's order, or old news
            if changed and data["topup_state"] == "failed":
                # Paid by QR or payment code: the customer's money goes back to it (sent by this round).
                refunds.start_automatic(conn, order.id)
            if changed:
                return TopupStateChanged(order.id, order.number, data["topup_state"], data.get("reason"))
        elif type_ == "code_revoked":
            outcome = codes.revoke(conn, data["code_id"])
            if outcome != "unknown":
                return CodeRevoked(data["code_id"], data.get("product_id", ""), outcome)
        elif type_ == "balance":
            sync_state.put(conn, "balance_fen", str(int(data["balance_fen"])))
        elif type_ == "retail_price":  # set on any counter of the shop (this one's own come back: harmless)
            self._apply_retail(conn, data)
        elif type_ == "refund":  # a gateway refund of this terminal ended (a repeat or another's: nothing)
            failure, refund_id = data.get("failure"), str(data.get("refund_id", ""))
            if refunds.apply_in(conn, refund_id, str(data.get("status", "")),
                                None if failure is None else str(failure)):
                return self._refund_settled(conn, refund_id)
        return None

    # -- restock --------------------------------------------------------------------------------------

    def restock(self, product_id: str, quantity: int) -> int:
        """Ask for codes. The request id is stored before sending, so a lost answer is asked for again."""
        with self._lock:
            with self.store.transaction() as conn:
                if sync_state.get(conn, "restock_pending") is None:
                    sync_state.put(conn, "restock_pending", json.dumps(
                        {"request_id": str(uuid.uuid4()), "product_id": product_id, "quantity": quantity}))
            return self._resume_restock(self.client())

    def _resume_restock(self, client: PlatformClient) -> int:
        pending = sync_state.get(self.store.conn(), "restock_pending")
        if pending is None:
            return 0
        request = json.loads(pending)
        try:
            body = client.restock(request["request_id"], request["product_id"], request["quantity"])
        except PlatformRefusedError:
            with self.store.transaction() as conn:
                sync_state.delete(conn, "restock_pending")
            raise
        with self.store.transaction() as conn:
            added = codes.add(conn, [NewCode(c["id"], request["product_id"], c["card_no"], c["card_secret"],
                                             c.get("expires_on")) for c in body["codes"]],
                              unit_cost_fen=_unit_cost(body))
            sync_state.put(conn, "balance_fen", str(int(body["balance_fen"])))
            if "auto" in request:
                charged = body.get("charged_fen")
                audit.append(conn, restock_policy.AUDIT_ACTION, staff_id=None, subject=request["product_id"], detail={
                    "quantity": request["quantity"], "received": added, "keep": request["auto"]["keep"],
                    "charged_fen": int(charged) if charged is not None else request["auto"]["quote_fen"]})
            sync_state.delete(conn, "restock_pending")
        self._emit(StockRestocked(request["product_id"], added))
        return added

    def _auto_restock(self, client: PlatformClient) -> None:
        """Only what the owner configured (restock_policy): the products with a policy, up to the codes they keep,
        while today's automatic spending stays within the budget. Each request is marked automatic in the pending
        restock, so its audit entry (what it was charged: the budget's ledger) is written with its codes, also when
        a lost answer is recovered in a later round."""
        passed: set[str] = set()  # refused or empty this round: the next round tries again
        while (step := restock_policy.next_step(self.store.conn(), skip=passed)) is not None:
            with self.store.transaction() as tx:
                sync_state.put(tx, "restock_pending", json.dumps(
                    {"request_id": str(uuid.uuid4()), "product_id": step.product_id, "quantity": step.quantity,
                     "auto": {"keep": step.keep, "quote_fen": step.quote_fen}}))
            try:
                if self._resume_restock(client) == 0:
                    passed.add(step.product_id)
            except PlatformRefusedError:
                passed.add(step.product_id)  # out of stock or balance: shown in the stock screen, not a sync failure
