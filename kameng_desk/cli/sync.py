"""`kameng-desk pair`, `kameng-desk sync --once` and `kameng-desk status --json`."""

from __future__ import annotations

import argparse
import json

from kameng_desk.paths import DeskPaths
from kameng_desk.sync.errors import SyncError
from kameng_desk.sync.pairing import client_for, pair_store
from kameng_desk.sync.status import PaymentSettled
from kameng_desk.usecases.syncing import SyncEngine
from local_cache import Store


def cmd_pair(paths: DeskPaths, args: argparse.Namespace) -> int:
    store = Store.open(paths.data_dir)
    try:
        pairing = pair_store(store, args.url, args.code, device_name=args.name, ca_bundle=args.ca_bundle)
    except SyncError as exc:
        print(f"pairing failed: {exc}")
        return 1
    finally:
        store.close()
    print(f"paired with {pairing.reseller_name} as terminal {pairing.terminal_id}")
    return 0


def cmd_sync(paths: DeskPaths, args: argparse.Namespace) -> int:
    store = Store.open(paths.data_dir)
    engine = SyncEngine(store, lambda: client_for(store))
    engine.add_event_listener(
        lambda e: print(f"QR payment of order {e.number}: {e.outcome}") if isinstance(e, PaymentSettled) else None)
    try:
        engine.sync_once()
    except SyncError as exc:
        print(f"sync failed: {exc}")
        return 1
    except Exception as exc:  # logged with where it happened by the engine; no traceback for the operator
        print(f"sync failed: unexpected {type(exc).__name__} (logged)")
        return 1
    finally:
        engine.stop()
        store.close()
    print(f"synced; {engine.status().orders_waiting} order(s) waiting")
    return 0


def cmd_status(paths: DeskPaths, args: argparse.Namespace) -> int:
    store = Store.open(paths.data_dir)
    try:
        from local_cache import codes, orders, outbox, sync_state

        conn = store.conn()
        status = {
            "paired": sync_state.get(conn, "terminal_id") is not None,
            "platform_url": sync_state.get(conn, "platform_url"),
            "terminal_id": sync_state.get(conn, "terminal_id"),
            "orders_waiting": outbox.pending_count(conn),
            "orders_rejected": orders.rejected_count(conn),
            "cursor": sync_state.cursor(conn),
            "balance_fen": int(sync_state.get(conn, "balance_fen") or 0),
            "stock": codes.stock_levels(conn),
        }
    finally:
        store.close()
    print(json.dumps(status, ensure_ascii=False, indent=None if args.json else 2))
    return 0


def add_subcommands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pair", help="pair this data folder with a platform")
    p.add_argument("--url", required=True)
    p.add_argument("--code", required=True)
    p.add_argument("--name", help="terminal name shown to the operator (default: host name)")
    p.add_argument("--ca-bundle", help="CA bundle for a self-hosted platform's certificate")
    p.set_defaults(func=cmd_pair)
    p = sub.add_parser("sync", help="sync with the platform")
    p.add_argument("--once", action="store_true", required=True)
    p.set_defaults(func=cmd_sync)
    p = sub.add_parser("status", help="print sync status")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)


