"""Changing the printer: an owner approves it and the audit log keeps what changed."""

from __future__ import annotations

from kameng_desk.printing.config import SETTINGS_KEY, PrinterConfig
from kameng_desk.usecases.session import require_owner
from local_cache import Store, audit, settings


def save(store: Store, config: PrinterConfig, *, staff_id: str, approver_id: str) -> None:
    """Settings changes need an owner (the settings screen asks for the PIN) and are audited (DESIGN §4.6)."""
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        settings.put(conn, SETTINGS_KEY, config.to_dict())
        audit.append(conn, "settings", staff_id=staff_id, approver_id=approver_id, subject=SETTINGS_KEY,
                     detail={"connection": config.connection.kind, "where": config.connection.describe(),
                             "profile": config.profile.name, "columns": config.profile.columns})
