"""local_cache is the only owner of SQL, and state columns move only through local_cache/states.py.

The rule (issue #16): the desk's use cases, screens, CLI, sync and printing code never talk SQL. Writes go through
the repositories in ``local_cache/`` (orders, codes, payments, sync_state, ...) and read models through
``local_cache/queries/``, each a plain function of a Connection; the use cases keep the rules and the transactions
(``store.transaction()``). So a schema change is made, and checked, in one package, and no screen can write half
a sale behind the repositories' checks.

What these tests read is the source itself (an AST walk), so a new module is held to the rule the day it appears:

* no module under ``kameng_desk/`` calls ``.execute`` / ``.executemany`` / ``.executescript``, imports
  ``sqlite3`` / ``sqlcipher3``, or holds a string that reads as SQL (docstrings aside: they may name a
  statement);
* every function under ``local_cache/`` whose SQL writes a state column (``SET state = ...``,
  ``SET topup_state = ...``, a refund's ``SET status = ...``) checks the edge with ``states.check`` /
  ``states.check_each`` in the same function.
  The migrations are outside this rule: they rewrite rows of an older schema, they move nothing along a machine.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DESK = ROOT / "kameng_desk"
STORE = ROOT / "local_cache"

SQL_CALLS = {"execute", "executemany", "executescript"}
SQL_DRIVERS = {"sqlite3", "sqlcipher3"}
# A statement's opening words, or a clause only SQL has. Case-sensitive: user-facing text and identifiers don't
# shout, SQL in this project always does.
SQL_TEXT = re.compile(
    r"\b(SELECT|INSERT(\s+OR\s+[A-Z]+)?\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA|REPLACE\s+INTO"
    r"|CREATE\s+(TABLE|INDEX|TRIGGER|VIEW)|DROP\s+(TABLE|INDEX|TRIGGER|VIEW)|ALTER\s+TABLE|BEGIN\s+IMMEDIATE"
    r"|WHERE|GROUP\s+BY|ORDER\s+BY|LEFT\s+JOIN|ON\s+CONFLICT)\b|\bcoalesce\(")
# A state column assigned in the SET list (one compared in the WHERE clause only guards the statement).
STATE_WRITE = re.compile(r"\bSET\b(?:(?!\bWHERE\b).)*?\b(state|topup_state|status)\s*=", re.DOTALL)


def _modules(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def sql_outside_the_store(path: Path) -> Iterator[str]:
    """Where the module at ``path`` talks SQL itself: ``line: what``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    docs = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in SQL_CALLS:
            yield f"{node.lineno}: calls .{node.attr}()"
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in SQL_DRIVERS:
                    yield f"{node.lineno}: imports {name}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs \
                and SQL_TEXT.search(node.value):
            yield f"{node.lineno}: SQL text {node.value[:60]!r}"


def unchecked_state_writes(path: Path) -> Iterator[str]:
    """Functions of the module at ``path`` whose SQL writes a state column without checking the machine."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        writes = any(isinstance(n, ast.Constant) and isinstance(n.value, str) and STATE_WRITE.search(n.value)
                     for n in ast.walk(fn))
        checks = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                     and isinstance(n.func.value, ast.Name) and n.func.value.id == "states"
                     and n.func.attr in ("check", "check_each") for n in ast.walk(fn))
        if writes and not checks:
            yield f"{fn.lineno}: {fn.name}() writes a state column without states.check"


def test_no_desk_module_talks_sql() -> None:
    found = {str(p.relative_to(ROOT)): hits for p in _modules(DESK) if (hits := list(sql_outside_the_store(p)))}
    assert found == {}, "SQL belongs in local_cache (a repository or local_cache/queries):\n" + "\n".join(
        f"{path}:{hit}" for path, hits in found.items() for hit in hits)


def test_every_state_write_checks_its_machine() -> None:
    modules = [p for p in _modules(STORE) if p.name != "migrations.py"]
    found = {str(p.relative_to(ROOT)): hits for p in modules if (hits := list(unchecked_state_writes(p)))}
    assert found == {}, "\n".join(f"{path}:{hit}" for path, hits in found.items() for hit in hits)


@pytest.mark.parametrize(("source", "caught"), [
    ('def f(conn):\n    conn.execute("x")\n', "calls .execute()"),
    ('def f(store):\n    store.conn().executemany("x", [])\n', "calls .executemany()"),
    ("import sqlcipher3\n", "imports sqlcipher3"),
    ("from sqlite3 import connect\n", "imports sqlite3"),
    ('Q = "SELECT id FROM orders"\n', "SQL text"),
    ('def f(t):\n    return f"DELETE FROM {t} WHERE id = ?"\n', "SQL text"),
    ("STANDING = \"o.state = 'fulfilled' AND coalesce(o.topup_state, '') != 'failed'\"\n", "SQL text"),
    ('ORDER = "o.created_at DESC"\nSORT = " ORDER BY "\n', "SQL text"),
])
def test_the_scan_catches_sql(tmp_path: Path, source: str, caught: str) -> None:
    module = tmp_path / "m.py"
    module.write_text(source, encoding="utf-8")
    assert any(caught in hit for hit in sql_outside_the_store(module))


@pytest.mark.parametrize("source", [
    '"""Filters, sorting and paging done in SQL: the SELECT is local_cache\'s."""\n',
    'TITLE = "选择商品"\nHINT = "Select a product, then order by phone"\n',
    'def f(worker):\n    worker.run(lambda store: 1)\n',
])
def test_the_scan_leaves_the_rest(tmp_path: Path, source: str) -> None:
    module = tmp_path / "m.py"
    module.write_text(source, encoding="utf-8")
    assert list(sql_outside_the_store(module)) == []


def test_the_state_scan_catches_an_unchecked_move(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('def free(conn, i):\n    conn.execute("UPDATE card_codes SET state = \'sold\' WHERE id = ?", i)\n'
                      'def checked(conn, i):\n    states.check("card code", "available", "sold")\n'
                      '    conn.execute("UPDATE card_codes SET state = \'sold\' WHERE id = ?", i)\n'
                      'def other(conn, i):\n    conn.execute("UPDATE orders SET sync_state = \'accepted\'", i)\n'
                      'def guarded(conn, i):\n    conn.execute("UPDATE jobs SET n = ? WHERE state = \'queued\'", i)\n'
                      'def topup(conn, i):\n    conn.execute("UPDATE orders SET topup_state = ? WHERE id = ?", i)\n'
                      'def refund(conn, i):\n    conn.execute("UPDATE refunds SET status = ? WHERE refund_id = ?",'
                      ' i)\n',
                      encoding="utf-8")
    assert [hit.split(":")[1].strip() for hit in unchecked_state_writes(module)] == [
        "free() writes a state column without states.check", "topup() writes a state column without states.check",
        "refund() writes a state column without states.check"]
