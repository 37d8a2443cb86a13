"""The `kameng-platform` command: serve the API, migrate, seed the demo, and operator actions."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import secrets
import sys
from pathlib import Path

DEFAULT_DB = "sqlite:///kameng-platform.db"


def _settings(args: argparse.Namespace):
    from kameng_platform.settings import (
        PlatformSettings,
        SandboxNotAllowed,
        load_gateway_config,
        load_server_key,
        load_supplier_config,
        with_sandbox,
    )

    extra = {k: getattr(args, k) for k in ("sandbox_failure_rate", "sandbox_unknown_rate", "public_url")
             if getattr(args, k, None) is not None}
    if getattr(args, "gateway_config", None):
        extra.update(load_gateway_config(args.gateway_config))
    if getattr(args, "supplier_config", None):
        extra.update(load_supplier_config(args.supplier_config))
    if getattr(args, "allow_sandbox", False) or getattr(args, "demo", False):
        extra = with_sandbox(extra)
    elif getattr(args, "sandbox_failure_rate", None) is not None or getattr(args, "sandbox_unknown_rate", None) \
            is not None:
        raise SandboxNotAllowed("--sandbox-failure-rate and --sandbox-unknown-rate need --allow-sandbox")
    return PlatformSettings(db_url=args.db, server_key=load_server_key(args.key_file), **extra)


def _public_url(text: str) -> str:
    """`--public-url`: an http(s) URL with a host, without a trailing slash."""
    import urllib.parse

    url = urllib.parse.urlsplit(text)
    if url.scheme not in ("http", "https") or not url.hostname or url.query or url.fragment:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL such as https://pay.example.com")
    return text.rstrip("/")


def _listen_url(host: str, port: int) -> str:
    """The default public URL: where `serve` listens, this machine's LAN address for a wildcard host."""
    import ipaddress

    from kameng_platform.server import lan_address

    try:
        wildcard = ipaddress.ip_address(host).is_unspecified
    except ValueError:  # a host name
        wildcard = False
    return f"http://{lan_address() if wildcard else host}:{port}"


def _admin(args: argparse.Namespace, action):
    from kameng_platform.crypto import Sealer
    from kameng_platform.db import make_engine, migrate

    settings = _settings(args)
    migrate(settings.db_url)
    engine = make_engine(settings.db_url)
    try:
        with engine.begin() as conn:
            return action(conn, Sealer(settings.server_key), settings)
    finally:
        engine.dispose()


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from kameng_platform.app import create_app
    from kameng_platform.server import announce, start_workers

    settings = _settings(args)
    if not settings.public_url:
        settings = dataclasses.replace(settings, public_url=_listen_url(args.host, args.port))
    settings = dataclasses.replace(settings, console=True)
    if args.demo:
        _seed_demo(settings, console_url=f"{_listen_url(args.host, args.port)}/console/")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    announce(settings)
    app = create_app(settings)
    workers = start_workers(app, settings)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", workers=1, lifespan="off")
    finally:
        workers.stop()
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from kameng_platform.db import migrate

    migrate(args.db)
    print("database is at the latest schema")
    return 0


def cmd_new_key(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if path.exists():
        print(f"{path} exists; not overwriting a server key", file=sys.stderr)
        return 1
    path.write_text(secrets.token_hex(32) + "\n")
    path.chmod(0o600)
    print(f"server key written to {path} (keep it outside the database and back it up)")
    return 0


def _seed_demo(settings, console_url: str) -> None:
    """The demo catalog, reseller and pairing code, and a console user per role, printed with their secrets."""
    from kameng_platform.console.demo import describe, seed_demo_users
    from kameng_platform.crypto import Sealer
    from kameng_platform.db import make_engine
    from kameng_platform.seed import seed_demo

    seed = seed_demo(settings)
    engine = make_engine(settings.db_url)
    try:
        with engine.begin() as conn:
            users = seed_demo_users(conn, Sealer(settings.server_key))
    finally:
        engine.dispose()
    print(f"reseller {seed.reseller_id}; pairing code: {seed.pairing_code}")
    print(describe(users, console_url), flush=True)


def cmd_seed_demo(args: argparse.Namespace) -> int:
    _seed_demo(_settings(args), console_url="/console/ of `kameng-platform serve`")
    return 0


def _ask_password() -> str:
    """Twice: getpass on a terminal, else the first two lines of stdin (never an argument, which `ps` shows)."""
    import getpass

    if sys.stdin.isatty():
        first, second = getpass.getpass("password: "), getpass.getpass("password again: ")
    else:
        first, second = sys.stdin.readline().rstrip("\r\n"), sys.stdin.readline().rstrip("\r\n")
    if first != second:
        raise ConsoleInputError("the two passwords differ; nothing was changed")
    return first


class ConsoleInputError(Exception):
    pass


def cmd_console_user(args: argparse.Namespace) -> int:
    from kameng_platform.console import auth
    from kameng_platform.console.roles import Role

    def add(conn, sealer, _settings):
        user, secret = auth.create_user(conn, sealer, username=args.username, role=Role(args.role),
                                        password=_ask_password(), reseller_id=args.reseller,
                                        supplier_id=args.supplier)
        auth.audit(conn, None, "user_added", target=f"{user.username} ({user.role})", username="cli", source="cli")
        return user, secret

    def reset(conn, sealer, _settings):
        secret = auth.reset_totp(conn, sealer, args.username)
        auth.audit(conn, None, "totp_reset", target=args.username, username="cli", source="cli")
        return auth.find_user(conn, args.username), secret

    def set_role(conn, sealer, _settings):
        before = auth.find_user(conn, args.username)
        secret = auth.set_role(conn, sealer, args.username, Role(args.role), reseller_id=args.reseller,
                               supplier_id=args.supplier)
        auth.audit(conn, None, "user_role", target=args.username, reason=f"{before.role} → {args.role}",
                   username="cli", source="cli")
        return auth.find_user(conn, args.username), secret

    # disable and enable: (the auth function, its audit action, what is printed)
    switches = {"disable": (auth.disable_user, "user_disabled", "disabled; their sessions are ended"),
                "enable": (auth.enable_user, "user_enabled", "enabled")}
    try:
        if args.action in switches:
            change, action, done = switches[args.action]
            _admin(args, lambda conn, _sealer, _settings: (
                change(conn, args.username),
                auth.audit(conn, None, action, target=args.username, username="cli", source="cli")))
            print(f"console user {args.username} {done}")
            return 0
        if args.action == "list":
            for user in _admin(args, lambda conn, _sealer, _settings: auth.list_users(conn)):
                print(json.dumps({"username": user.username, "role": user.role.value, "reseller": user.reseller_id,
                                  "supplier": user.supplier_id, "totp": user.has_totp,
                                  "disabled": user.disabled}, ensure_ascii=False))
            return 0
        user, secret = _admin(args, {"add": add, "reset-totp": reset, "set-role": set_role}[args.action])
    except (auth.ConsoleUserError, ConsoleInputError) as exc:
        print(f"kameng-platform: {exc}", file=sys.stderr)
        return 1
    done = {"add": "added", "reset-totp": "has a new TOTP", "set-role": "has a new role; their sessions are ended"}
    print(f"console user {user.username} ({user.role.value}) {done[args.action]}")
    if secret:
        # Shown this once: the secret is stored sealed under the server key and never printed again.
        print(f"TOTP secret: {secret}\nTOTP provisioning URI: {auth.provisioning_uri(user.username, secret)}")
    return 0


def cmd_create_reseller(args):
    from kameng_platform import admin
    print(_admin(args, lambda c, s, st: admin.create_reseller(c, args.name, args.tier)))
    return 0


def cmd_credit(args):
    from kameng_platform import admin
    balance = _admin(args, lambda c, s, st: admin.credit(c, args.reseller, args.fen, args.reference))
    print(f"balance: {balance} fen")
    return 0


def cmd_product(args):
    from kameng_platform import admin

    tiers = dict(t.split("=", 1) for t in args.price)
    _admin(args, lambda c, s, st: admin.upsert_product(
        c, product_id=args.id, category_id=args.category, name=args.name, kind=args.kind,
        face_value_fen=args.face_fen, suggested_retail_fen=args.retail_fen,
        tier_prices={k: int(v) for k, v in tiers.items()}, active=not args.inactive, account_rule=args.account_rule,
        barcode=args.barcode))
    print(f"product {args.id} saved")
    return 0


def cmd_category(args):
    from kameng_platform import admin
    _admin(args, lambda c, s, st: admin.upsert_category(c, args.id, args.name, args.kind, args.sort))
    print(f"category {args.id} saved")
    return 0


def cmd_import_codes(args):
    from kameng_platform import admin

    try:
        text = Path(args.csv).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        print("the file is not UTF-8 text; save it as CSV UTF-8 and try again. Nothing was imported.",
              file=sys.stderr)
        return 1
    report = _admin(args, lambda c, s, st: admin.import_codes(c, s, args.product, text))
    if not report.ok:
        print(f"nothing imported: {len(report.errors)} bad line(s)", file=sys.stderr)
        for line, reason in report.errors:
            print(f"  line {line}: {reason}", file=sys.stderr)
        return 1
    print(f"imported {report.imported} codes")
    return 0


def cmd_pairing_code(args):
    from kameng_platform import terminals
    code = _admin(args, lambda c, s, st: terminals.create_pairing_code(c, s, args.reseller, st.pairing_ttl_s))
    print(code)
    return 0


def cmd_terminals(args):
    from kameng_platform import terminals
    for t in _admin(args, lambda c, s, st: terminals.list_terminals(c)):
        print(json.dumps(t, ensure_ascii=False))
    return 0


def cmd_revoke(args):
    from kameng_platform import terminals
    _admin(args, lambda c, s, st: terminals.revoke(c, args.terminal))
    print(f"terminal {args.terminal} revoked")
    return 0


def cmd_revoke_code(args):
    from kameng_platform import admin
    _admin(args, lambda c, s, st: admin.revoke_code(c, args.code))
    print(f"code {args.code} revoked")
    return 0


def cmd_ledger(args):
    from kameng_platform import admin
    for row in _admin(args, lambda c, s, st: admin.ledger_rows(c, args.reseller)):
        print(json.dumps(row, ensure_ascii=False))
    return 0


def cmd_reconcile(args):
    from kameng_platform import admin
    for row in _admin(args, lambda c, s, st: admin.reconciliation(c, args.reseller)):
        print(json.dumps(row, ensure_ascii=False))
    return 0


def _day(text: str):
    """`--paid-on`, `--since`, `--until`: a date YYYY-MM-DD."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-12-01") from None


def cmd_supplier_payout(args):
    import getpass

    from kameng_platform import supplier_settlement

    done = _admin(args, lambda c, s, st: supplier_settlement.record_payout(
        c, args.supplier, args.amount_fen, args.reference, args.paid_on, f"cli:{getpass.getuser()}",
        advance=args.advance))
    p = done.payout
    print(f"payout {p.reference} to {p.supplier_id}: {p.amount_fen} fen paid on {p.paid_on}"
          + ("" if done.created else " (recorded already: nothing added)"))
    return 0


def cmd_supplier_settlement(args):
    import dataclasses as dc
    import datetime as dt

    from kameng_platform import supplier_settlement

    last = args.until or supplier_settlement.today()
    first = args.since or last - dt.timedelta(days=29)
    if last < first:
        print("--since is after --until", file=sys.stderr)
        return 1
    found = _admin(args, lambda c, s, st: supplier_settlement.statement(c, args.supplier, first, last))
    print(json.dumps({"supplier": found.supplier_id, "since": first.isoformat(), "until": last.isoformat(),
                      "opening_fen": found.opening_fen}))
    for day in found.days:
        print(json.dumps({**dc.asdict(day), "day": day.day.isoformat()}))
    for payout in found.payouts:
        print(json.dumps({"payout": dc.asdict(payout)}, ensure_ascii=False))
    print(json.dumps({"codes": found.codes, "owed_fen": found.owed_fen, "unpriced": found.unpriced,
                      "paid_fen": found.paid_fen, "closing_fen": found.closing_fen}))
    return 0


def cmd_supply_price(args):
    from kameng_platform import supplier_settlement

    priced = _admin(args, lambda c, s, st: supplier_settlement.set_supply_price(c, args.product, args.fen,
                                                                              backfill=args.backfill))
    print(f"supply price of {args.product}: {'not agreed' if args.fen is None else f'{args.fen} fen'}"
          + (f"; {priced} earlier restocks priced" if args.backfill else ""))
    return 0


def cmd_openapi(args) -> int:
    from kameng_platform.openapi import document

    print(document())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kameng-platform", description="卡盟 central platform API")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, func, help_, db=True, key=True):
        p = sub.add_parser(name, help=help_)
        if db:
            p.add_argument("--db", default=DEFAULT_DB, help="SQLAlchemy URL (sqlite:///file or postgresql+psycopg://)")
        if key:
            p.add_argument("--key-file", help="server key file (default: env KAMENG_PLATFORM_KEY)")
        p.set_defaults(func=func)
        return p

    p = add("serve", cmd_serve, "serve the API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8700)
    p.add_argument("--public-url", metavar="URL", type=_public_url,
                   help="where customers' phones reach this platform (the sandbox pay page); default: "
                        "http://HOST:PORT, this machine's LAN address for a wildcard host")
    p.add_argument("--gateway-config", metavar="FILE",
                   help="TOML file naming the payment gateways and their key files (default: none, desks get "
                        "no QR payment; see docs/payments.md)")
    p.add_argument("--supplier-config", metavar="FILE",
                   help="TOML file naming the top-up supplier and its key file (default: none, top-ups stay "
                        "queued; see docs/platform.md)")
    p.add_argument("--allow-sandbox", action="store_true",
                   help="FAKE MONEY, demo and tests only: the sandbox gateway and supplier play whatever is not "
                        "configured (anyone who opens a payment's page can pay it); a warning at every start")
    p.add_argument("--sandbox-failure-rate", type=float, help="with --allow-sandbox: share of top-ups that fail")
    p.add_argument("--sandbox-unknown-rate", type=float,
                   help="with --allow-sandbox: share of top-ups executed whose answer is lost")
    p.add_argument("--demo", action="store_true",
                   help="FAKE MONEY: seed the demo catalog and a console user per role (printed with their "
                        "passwords and TOTP secrets), with --allow-sandbox")
    add("migrate", cmd_migrate, "bring the database to the latest schema", key=False)
    add("new-key", cmd_new_key, "create a server key file", db=False, key=False).add_argument("file")
    add("seed-demo", cmd_seed_demo, "load the demo catalog, codes, reseller and a pairing code")
    p = add("create-reseller", cmd_create_reseller, "create a reseller")
    p.add_argument("--name", required=True)
    p.add_argument("--tier", default="standard")
    p = add("credit", cmd_credit, "credit a reseller's prepaid balance")
    p.add_argument("--reseller", required=True)
    p.add_argument("--fen", type=int, required=True)
    p.add_argument("--reference", required=True, help="payment reference; a credit with the same one is refused")
    p = add("category", cmd_category, "add or change a category")
    p.add_argument("--id", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--kind", choices=["card", "topup"], required=True)
    p.add_argument("--sort", type=int, default=0)
    p = add("product", cmd_product, "add or change a product")
    for flag in ("--id", "--category", "--name"):
        p.add_argument(flag, required=True)
    p.add_argument("--kind", choices=["card", "topup"], required=True)
    p.add_argument("--face-fen", type=int, required=True)
    p.add_argument("--retail-fen", type=int, required=True)
    p.add_argument("--price", action="append", default=[], help="TIER=FEN cost price, repeatable")
    p.add_argument("--account-rule")
    p.add_argument("--inactive", action="store_true")
    p.add_argument("--barcode", help="EAN-8, EAN-13 or Code128 code a scanner reads (at most 32 characters); "
                                     "'' removes it; left out, the product keeps its code")
    p = add("import-codes", cmd_import_codes, "import card codes from CSV (all or nothing)")
    p.add_argument("--product", required=True)
    p.add_argument("csv")
    add("create-pairing-code", cmd_pairing_code, "one-time pairing code").add_argument("--reseller", required=True)
    add("terminals", cmd_terminals, "list terminals")
    add("revoke-terminal", cmd_revoke, "revoke a terminal").add_argument("terminal")
    add("revoke-code", cmd_revoke_code, "revoke a card code").add_argument("code")
    add("ledger", cmd_ledger, "show a reseller's ledger").add_argument("--reseller", required=True)
    add("reconcile", cmd_reconcile, "per-day reconciliation report").add_argument("--reseller", required=True)
    payout = sub.add_parser("supplier-payout", help="payouts to card suppliers (docs/console.md)")
    p = payout.add_subparsers(dest="action", required=True, metavar="ACTION").add_parser(
        "add", help="record a payout to a supplier (once per bank reference)")
    p.add_argument("--db", default=DEFAULT_DB, help="SQLAlchemy URL (sqlite:///file or postgresql+psycopg://)")
    p.add_argument("--key-file", help="server key file (default: env KAMENG_PLATFORM_KEY)")
    p.set_defaults(func=cmd_supplier_payout)
    p.add_argument("--supplier", required=True, metavar="ID")
    p.add_argument("--amount-fen", type=int, required=True)
    p.add_argument("--reference", required=True, help="the bank's reference; the same one again is the same payout")
    p.add_argument("--paid-on", type=_day, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--advance", action="store_true",
                   help="paid ahead on purpose: without it a payout larger than the balance owed is refused")
    p = add("supplier-settlement", cmd_supplier_settlement, "what the platform owes a supplier, per Beijing day")
    p.add_argument("--supplier", required=True, metavar="ID")
    p.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="default: 29 days before --until")
    p.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="default: today (Beijing time)")
    p = add("supply-price", cmd_supply_price, "what the platform pays the supplier per code of a card product")
    p.add_argument("--product", required=True)
    p.add_argument("--fen", type=int, help="left out: not agreed (its restocks owe nothing until it is set)")
    p.add_argument("--backfill", action="store_true", help="also price the product's earlier unpriced restocks")
    add("openapi", cmd_openapi, "print the OpenAPI document", db=False, key=False)
    from kameng_platform.console.roles import Role  # the enum alone: no Jinja2, no database

    users = sub.add_parser("console-user", help="web console users (docs/console.md)")
    users_sub = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, help_ in (("add", "add a user (asks the password twice; prints the TOTP secret once)"),
                        ("list", "list the users"),
                        ("reset-totp", "new TOTP secret for an operator or finance user (ends their sessions)"),
                        ("disable", "the user can no longer log in (ends their sessions; never the last operator)"),
                        ("enable", "a disabled user can log in again"),
                        ("set-role", "change a user's role (ends their sessions; a new TOTP secret for operator "
                                     "and finance; never the last operator)")):
        p = users_sub.add_parser(name, help=help_)
        p.add_argument("--db", default=DEFAULT_DB, help="SQLAlchemy URL (sqlite:///file or postgresql+psycopg://)")
        p.add_argument("--key-file", help="server key file (default: env KAMENG_PLATFORM_KEY)")
        p.set_defaults(func=cmd_console_user)
        if name != "list":
            p.add_argument("--username", required=True)
        if name in ("add", "set-role"):
            p.add_argument("--role", required=True, choices=[role.value for role in Role])
            link = p.add_mutually_exclusive_group()
            link.add_argument("--reseller", metavar="ID", help="the reseller a reseller user acts for")
            link.add_argument("--supplier", metavar="ID", help="the supplier a supplier user acts for")
    return parser


def main(argv: list[str] | None = None) -> int:
    from kameng_platform.errors import ApiError
    from kameng_platform.gateways.base import GatewayConfigError
    from kameng_platform.settings import ConfigError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ApiError, ConfigError, GatewayConfigError) as exc:
        print(f"kameng-platform: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
