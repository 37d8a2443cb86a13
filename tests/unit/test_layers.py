"""The layer contracts in pyproject.toml (run by `dev.py test` as `lint-imports`) hold on this tree, and they
would catch the imports that broke the layering before (docs/architecture.md): each case breaks one rule in a copy
of the tree and expects import-linter to name it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("kameng_desk", "local_cache", "kameng_platform")


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("tree")
    for name in PACKAGES:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_the_tree_keeps_every_contract(tree: Path) -> None:
    result = lint(tree)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("kameng_desk/usecases/sell.py", "from PySide6 import QtCore", "Qt only in the GUI"),
    ("kameng_desk/printing/slips.py", "from kameng_desk.usecases import cash_shift", "Desk layers"),
    ("kameng_desk/usecases/sell.py", "from kameng_desk.gui import messages", "Desk layers"),
    ("local_cache/orders.py", "from kameng_desk.usecases import errors", "Desk layers"),
    ("kameng_platform/catalog.py", "from local_cache import orders", "The platform never imports the desk"),
    ("kameng_desk/usecases/stock.py", "from kameng_platform import seed",
     "The desk imports the platform only in its demo"),
])
def test_a_broken_rule_fails(tree: Path, module: str, line: str, contract: str) -> None:
    path = tree / module
    original = path.read_text()
    path.write_text(original + f"\n{line}  # noqa\n")
    try:
        result = lint(tree)
    finally:
        path.write_text(original)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(row.startswith(contract) for row in broken), result.stdout[-3000:]
