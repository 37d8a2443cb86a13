"""`kameng-desk audit-verify`, `rekey`, `backup` and `restore`: the owner's PIN and the passphrase are read here
(never from the command line); the rules and the audit entry are the use case's (usecases.maintenance), the same
the settings screen calls."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from kameng_desk.paths import DeskPaths
from kameng_desk.usecases import maintenance
from local_cache import Store, audit
from local_cache.store import DB_NAME


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


def _secret(prompt: str, *, from_stdin: bool = False) -> str:
    """getpass on a terminal; a line of stdin when stdin is not one (scripts), never a command-line argument,
    which every user of the machine can read in `ps`."""
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass(prompt)


def _passphrase(args: argparse.Namespace, confirm: bool) -> str:
    first = _secret("backup passphrase: ", from_stdin=args.passphrase_stdin)
    if confirm and not args.passphrase_stdin and sys.stdin.isatty() and getpass.getpass("again: ") != first:
        raise SystemExit("the passphrases differ; nothing was written")
    return first


def _read_pin() -> str:
    pin = _secret("owner PIN: ")
    if not pin:
        raise maintenance.OwnerChoiceError(
            "This needs an owner's PIN (typed at the prompt, or the first line of stdin).")
    return pin


def _owner_pin(store: Store, args: argparse.Namespace, pin: str) -> maintenance.OwnerPin:
    return maintenance.OwnerPin(maintenance.choose_owner(store, args.owner).id, pin)


def cmd_rekey(paths: DeskPaths, args: argparse.Namespace) -> int:
    pin = _read_pin()
    with maintenance.counter_closed(paths.data_dir):
        store = Store.open(paths.data_dir)
        try:
            maintenance.rekey_data(store, _owner_pin(store, args, pin))
        finally:
            store.close()
    print("database key rotated; the new key is in the system keyring")
    return 0


def cmd_backup(paths: DeskPaths, args: argparse.Namespace) -> int:
    pin = _read_pin()
    passphrase = _passphrase(args, confirm=True)
    store = Store.open(paths.data_dir)
    try:
        maintenance.backup_data(store, Path(args.file), passphrase, _owner_pin(store, args, pin))
    finally:
        store.close()
    print(f"encrypted backup written to {args.file}")
    return 0


def cmd_restore(paths: DeskPaths, args: argparse.Namespace) -> int:
    pin = _read_pin()
    passphrase = _passphrase(args, confirm=False)
    source = Path(args.file)
    with maintenance.counter_closed(paths.data_dir):
        if not (paths.data_dir / DB_NAME).exists():
            maintenance.restore_into_new_folder(paths.data_dir, source, passphrase, args.owner, pin)
            print(f"restored {args.file} into {paths.data_dir}")
            return 0
        store = Store.open(paths.data_dir)
        try:
            moved = maintenance.restore_data(store, source, passphrase, _owner_pin(store, args, pin))
        finally:
            store.close()
    print(f"restored {args.file} into {paths.data_dir}")
    if moved:
        print(f"the previous database was kept as {moved}")
    return 0


def add_subcommands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit-verify", help="check the audit log's hash chain")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_audit_verify)
    secrets_help = ("asks for an owner's PIN (a first line of stdin when stdin is not a terminal; then the "
                    "passphrase, if any)")
    p = sub.add_parser("rekey", help="rotate the database key (crash-safe)", description=secrets_help)
    p.set_defaults(func=cmd_rekey)
    parsers = [p]
    for name, func, text in (("backup", cmd_backup, "write an encrypted backup (passphrase)"),
                             ("restore", cmd_restore, "restore an encrypted backup into the data folder")):
        p = sub.add_parser(name, help=text, description=secrets_help)
        p.add_argument("file")
        p.add_argument("--passphrase-stdin", action="store_true", help="read the passphrase from stdin")
        p.set_defaults(func=func)
        parsers.append(p)
    for p in parsers:
        p.add_argument("--owner", metavar="NAME",
                       help="the approving owner (name or id); needed only when the shop has several")
