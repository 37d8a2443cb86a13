"""Store maintenance for owners and support, without Qt: audit verify, key rotation, backup, restore.

The same functions back the settings screen and the `kameng-desk` subcommands.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from kameng_desk.paths import DeskPaths
from local_cache import Store, audit, backup, rekey


def cmd_audit_verify(paths: DeskPaths, args: argparse.Namespace) -> int:
    store = Store.open(paths.data_dir)
    try:
        result = audit.verify(store.conn())
    finally:
        store.close()
    if args.json:
        print(json.dumps({"ok": result.ok, "checked": result.checked, "problem": result.problem,
                          "seq": result.seq}, ensure_ascii=False))
    elif result.ok:
        print(f"audit log intact: {result.checked} entries verified")
    else:
        print(f"AUDIT LOG TAMPERED: {result.problem} (after {result.checked} good entries)")
    return 0 if result.ok else 1


def cmd_rekey(paths: DeskPaths, args: argparse.Namespace) -> int:
    store = Store.open(paths.data_dir)
    try:
        rekey.rekey(store)
    finally:
        store.close()
    print("database key rotated; the new key is in the system keyring")
    return 0


def _passphrase(args: argparse.Namespace, confirm: bool) -> str:
    if args.passphrase_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("backup passphrase: ")
    if confirm and getpass.getpass("again: ") != first:
        raise SystemExit("the passphrases differ; nothing was written")
    return first


def cmd_backup(paths: DeskPaths, args: argparse.Namespace) -> int:
    store = Store.open(paths.data_dir)
    try:
        backup.backup(store, Path(args.file), _passphrase(args, confirm=True))
    finally:
        store.close()
    print(f"encrypted backup written to {args.file}")
    return 0


def cmd_restore(paths: DeskPaths, args: argparse.Namespace) -> int:
    moved = backup.restore(paths.data_dir, Path(args.file), _passphrase(args, confirm=False))
    print(f"restored {args.file} into {paths.data_dir}")
    if moved:
        print(f"the previous database was kept as {moved}")
    return 0


def add_subcommands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit-verify", help="check the audit log's hash chain")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_audit_verify)
    sub.add_parser("rekey", help="rotate the database key (crash-safe)").set_defaults(func=cmd_rekey)
    for name, func, text in (("backup", cmd_backup, "write an encrypted backup (passphrase)"),
                             ("restore", cmd_restore, "restore an encrypted backup into the data folder")):
        p = sub.add_parser(name, help=text)
        p.add_argument("file")
        p.add_argument("--passphrase-stdin", action="store_true", help="read the passphrase from stdin")
        p.set_defaults(func=func)
