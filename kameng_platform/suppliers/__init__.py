"""Supplier adapters that execute top-ups. The order id is always the supplier's idempotency key."""

from __future__ import annotations

from kameng_platform.settings import PlatformSettings
from kameng_platform.suppliers.base import Supplier


def make_supplier(settings: PlatformSettings) -> Supplier:
    if settings.supplier == "sandbox":
        from kameng_platform.suppliers.sandbox import SandboxConfig, SandboxSupplier

        return SandboxSupplier(settings.sandbox_db, SandboxConfig(
            settings.sandbox_delay_s, settings.sandbox_failure_rate, settings.sandbox_unknown_rate))
    raise ValueError(f"unknown supplier {settings.supplier!r}")
