"""Console roles (issue #18): what each person may do is decided by their role, on the server, for every route."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"  # 站长: everything, and users and roles
    FINANCE = "finance"  # credits, debits, reconciliation, statements, refunds; no catalog changes
    SUPPORT = "support"  # orders, top-ups and payments to look at and resolve
    SUPPLIER = "supplier"  # their own products only
    RESELLER = "reseller"  # their portal: balance, ledger, terminals, orders

    @property
    def needs_totp(self) -> bool:
        """Those who move money or change users cannot log in with a password alone."""
        return self in (Role.OPERATOR, Role.FINANCE)

    @property
    def link(self) -> str | None:
        """Which id a user of this role acts for: a reseller's, a supplier's, or none (the platform's staff)."""
        return {Role.RESELLER: "reseller", Role.SUPPLIER: "supplier"}.get(self)


STAFF = (Role.OPERATOR, Role.FINANCE, Role.SUPPORT)
