"""What every screen gets: the database worker, the sync engine, who is logged in, and owner approval.

Screens outside the counter (back office, settings, printing) take a DeskContext instead of reaching into
the main window, so each lives in its own package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from PySide6.QtWidgets import QTabWidget, QWidget

from kameng_desk.gui.dialogs import OwnerPinDialog
from kameng_desk.gui.worker import DbWorker
from kameng_desk.records.sounds import Sounds
from kameng_desk.usecases import session
from kameng_desk.usecases.changes import NOTHING, Changes
from kameng_desk.usecases.customer_view import CustomerView
from local_cache import Store, staff
from local_cache.staff import Staff


@dataclass
class DeskContext:
    worker: DbWorker
    engine: Any = None  # kameng_desk.usecases.syncing.SyncEngine when paired or in the demo
    user: Staff | None = None
    printing: Any = None  # the print service, when one runs
    sounds: Sounds = field(default_factory=Sounds)  # silent unless the app (or a test listening) gives a player
    customer: CustomerView = field(default_factory=CustomerView)  # what the customer sees and hears

    def with_owner_approval(self, parent: QWidget, action: str, work: Callable[[Store, Staff], Any],
                            on_done: Callable[[Any], None] | None, on_error: Callable[[Exception], None], *,
                            changes: Changes = NOTHING, network: bool = False) -> None:
        """Run `work(store, approver)` in the background after an owner's PIN: on the database lane, or on the
        network lane when it asks the platform (`network`). `changes` is what it changes (the screens showing
        that reload).

        The PIN is asked even when an owner is logged in: a counter left logged in must not approve by itself.
        The audit entry written by `work` names both people.
        """
        self.with_owner_pin(parent, action,
                            lambda store, owner_id, pin: work(store, session.authorize_owner(store, owner_id, pin)),
                            on_done, on_error, changes=changes, network=network)

    def with_owner_pin(self, parent: QWidget, action: str, work: Callable[[Store, str, str], Any],
                       on_done: Callable[[Any], None] | None, on_error: Callable[[Exception], None], *,
                       changes: Changes = NOTHING, network: bool = False) -> None:
        """Run `work(store, owner_id, pin)` in the background with the owner and PIN typed in the dialog, for a
        use case that checks the PIN itself (kameng_desk.usecases.maintenance: the command line asks the same)."""
        run = self.worker.run_network if network else self.worker.run

        def ask(owners: list[Staff]) -> None:
            dialog = OwnerPinDialog(owners, action, parent)
            dialog.setObjectName("ownerDialog")

            def approved() -> None:
                owner_id, pin = dialog.owner_id(), dialog.pin.text()
                run(lambda store: work(store, owner_id, pin), on_done, on_error, changes=changes)
            dialog.accepted.connect(approved)
            dialog.open()
        self.worker.run(lambda store: [s for s in staff.list_all(store.conn()) if s.is_owner], ask, on_error)


_STALE = "_kameng_stale_pages"


def refresh_pages(tabs: QTabWidget) -> None:
    """The shown page with a `refresh()` reloads from the database now (through the worker), the others when they
    are next shown: reloading all of them kept the database thread busy with pages nobody opened (a count over
    every order, the stock, the reports)."""
    if not hasattr(tabs, _STALE):
        tabs.currentChanged.connect(lambda _: _refresh_shown(tabs))
    setattr(tabs, _STALE, {tabs.widget(i) for i in range(tabs.count()) if hasattr(tabs.widget(i), "refresh")})
    _refresh_shown(tabs)


def refresh_on_changes(context: DeskContext, page: QWidget, *parts: str) -> None:
    """`page.refresh()` after an operation changed any of `parts` (names of Changes' fields): now when the page
    is on screen, else when it is next shown in its tabs (refresh_pages). Nobody reloads a screen by hand after
    an operation: the operation says what it changed."""
    unknown = set(parts) - {f.name for f in fields(Changes)}
    if unknown:
        raise ValueError(f"Changes has no {sorted(unknown)}: name its fields ({[f.name for f in fields(Changes)]})")

    def heard(changes: Changes) -> None:
        if not changes.touches(*parts):
            return
        if page.isVisible():
            page.refresh()
            return
        tabs = _tabs_of(page)
        if tabs is not None:
            getattr(tabs, _STALE).add(page)
    context.worker.listen_for_changes(page, heard)


def _tabs_of(page: QWidget) -> QTabWidget | None:
    """The tabs (with refresh_pages' stale set) that hold the page, if it has been shown in any."""
    parent = page.parentWidget()
    while parent is not None:
        if isinstance(parent, QTabWidget) and hasattr(parent, _STALE) and parent.indexOf(page) >= 0:
            return parent
        parent = parent.parentWidget()
    return None


def _refresh_shown(tabs: QTabWidget) -> None:
    page, stale = tabs.currentWidget(), getattr(tabs, _STALE)
    if page in stale:
        stale.discard(page)
        page.refresh()
