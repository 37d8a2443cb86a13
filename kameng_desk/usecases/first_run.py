"""First run of a new data folder: the shop's name, the owner and their PIN, then pairing (or not yet).

Plain Python so the wizard stays a thin form and tests call the same steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from kameng_desk.usecases.errors import CounterError
from local_cache import Store, audit, settings, staff
from local_cache.staff import Staff


class AlreadySetUpError(CounterError):
    def __init__(self) -> None:
        super().__init__("This counter is already set up: log in as the owner to change it.")


_FIELD_MESSAGES = {"shop_name": "Enter the shop's name (it is printed on every receipt).",
                   "owner_name": "Enter the owner's name.",
                   "pin": "A PIN has 4 to 8 digits.",
                   "pin_again": "The two PINs are different: type the same PIN twice."}


class SetupFieldError(CounterError):
    """A field of the first-run form the owner must correct; `field` says which one."""

    def __init__(self, field: str) -> None:
        super().__init__(_FIELD_MESSAGES[field])
        self.field = field


@dataclass(frozen=True)
class ShopSetup:
    shop_name: str
    owner_name: str
    pin: str
    pin_again: str

    def check(self) -> None:
        if not self.shop_name.strip():
            raise SetupFieldError("shop_name")
        if not self.owner_name.strip():
            raise SetupFieldError("owner_name")
        try:
            staff.validate_pin(self.pin)
        except ValueError:
            raise SetupFieldError("pin") from None
        if self.pin != self.pin_again:
            raise SetupFieldError("pin_again")


def needs_setup(store: Store) -> bool:
    """A folder without staff has never been set up: nobody could log in."""
    return not staff.list_all(store.conn(), include_disabled=True)


def set_up_shop(store: Store, setup: ShopSetup) -> Staff:
    setup.check()
    with store.transaction() as conn:
        if staff.list_all(conn, include_disabled=True):
            raise AlreadySetUpError()
        owner = staff.create(conn, setup.owner_name.strip(), "owner", setup.pin)
        settings.put(conn, "shop_name", setup.shop_name.strip())
        audit.append(conn, "setup", staff_id=owner.id, detail={"shop_name": setup.shop_name.strip()})
    return owner
