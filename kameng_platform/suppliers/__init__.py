"""Supplier adapters that execute top-ups. The order id is always the supplier's idempotency key: the
platform resends it after a lost answer, so a supplier must honour it (one execution per order id), and
every platform process must talk to the same supplier record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine

from kameng_platform.suppliers.base import Supplier

if TYPE_CHECKING:  # settings imports the adapters' config types from this package
    from kameng_platform.settings import PlatformSettings


def make_supplier(settings: PlatformSettings, engine: Engine) -> Supplier | None:
    """The configured supplier, or None when there is none (top-ups then stay queued). `engine` is the
    platform's database, where the sandbox keeps its record."""
    if settings.supplier == "md5form":
        from kameng_platform.suppliers.md5form import Md5FormSupplier

        return Md5FormSupplier.from_config(settings.md5form)
    if settings.supplier == "sandbox":
        from kameng_platform.suppliers.sandbox import SandboxConfig, SandboxSupplier

        return SandboxSupplier(engine, SandboxConfig(
            settings.sandbox_delay_s, settings.sandbox_failure_rate, settings.sandbox_unknown_rate))
    return None  # PlatformSettings already refused an unknown name
