"""The `kameng-desk` command: the counter app, plus subcommands for scripts and support."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kameng_desk import __version__
from kameng_desk.paths import DeskPaths


def build_parser() -> argparse.ArgumentParser:
    from kameng_desk.cli import maintenance
    from kameng_desk.cli import sync as sync_commands

    parser = argparse.ArgumentParser(prog="kameng-desk", description="卡盟收银台 — counter app")
    parser.add_argument("--version", action="version", version=f"kameng-desk {__version__}")
    parser.add_argument("--data-dir", type=Path, help="keep all data in this folder (portable install, tests)")
    parser.add_argument(
        "--demo", action="store_true",
        help="start with a throwaway data folder and an in-memory keyring, ready to try",
    )
    # No default: without --lang the shop's saved choice applies (zh_CN until someone changes it in settings).
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="interface language (default: the saved one)")
    parser.add_argument(
        "--self-test", action="store_true",
        help="check this installation offscreen (database, slip, QR, translations, window), print each step, exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    maintenance.add_subcommands(sub)
    sync_commands.add_subcommands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        from kameng_desk.gui.selftest import main as self_test

        return self_test()
    paths = DeskPaths.portable(args.data_dir) if args.data_dir else DeskPaths.default()
    if args.command:
        from kameng_desk.usecases.errors import CounterError
        from local_cache.errors import StoreError

        try:
            return args.func(paths, args)
        except (StoreError, CounterError) as exc:  # a wrong PIN, a cashier's, a missing key: one clear line
            print(f"kameng-desk: {exc}", file=sys.stderr)
            return 1
    from kameng_desk.gui.app import run_app  # Qt is loaded only when a window is wanted

    return run_app(paths, demo=args.demo, language=args.lang)


if __name__ == "__main__":
    sys.exit(main())
