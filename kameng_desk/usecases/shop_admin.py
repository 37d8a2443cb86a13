"""The owner's settings: shop details, auto-lock, language, sounds, the customer's displays, staff, and the platform
pairing.

Every change names the owner who approved it in the audit log (the settings screen asks for the PIN).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import TypeVar

from kameng_desk.pole_display import BAUD_RATES
from kameng_desk.sync.pairing import pair_store
from kameng_desk.usecases.errors import CounterError
from kameng_desk.usecases.session import require_owner
from local_cache import Store, audit, outbox, settings, staff, sync_state
from local_cache.connection import Connection
from local_cache.staff import Staff

LANGUAGES = ("zh_CN", "en")
PAIRING_KEYS = ("platform_url", "terminal_id", "terminal_prefix", "reseller_name", "ca_bundle", "cursor")


class LastOwnerError(CounterError):
    def __init__(self) -> None:
        super().__init__("The last owner cannot be disabled: nobody could approve voids or change settings.")


class UnsyncedOrdersError(CounterError):
    def __init__(self, waiting: int) -> None:
        super().__init__(f"{waiting} order(s) have not reached the platform yet: sync them before un-pairing.")
        self.waiting = waiting


class InvalidSettingError(CounterError):
    def __init__(self, name: str) -> None:
        super().__init__(f"The setting {name!r} has an invalid value.")
        self.name = name


@dataclass(frozen=True)
class ShopSettings:
    shop_name: str = ""
    receipt_header: str = ""
    auto_lock_minutes: int = 5
    language: str = "zh_CN"
    sounds: bool = True  # the counter's scan and error cues (kameng_desk.records.sounds)
    # "微信收款一百元" when a payment or refund completes (kameng_desk.records.voice): on, as the QR speakers shops
    # buy for it; it says nothing for cash, and the owner turns it off next to the cues.
    spoken_confirmation: bool = True

    def check(self) -> None:
        if not self.shop_name.strip() or len(self.shop_name) > 40:
            raise InvalidSettingError("shop_name")
        if len(self.receipt_header) > 200:
            raise InvalidSettingError("receipt_header")
        if not 1 <= self.auto_lock_minutes <= 120:
            raise InvalidSettingError("auto_lock_minutes")
        if self.language not in LANGUAGES:
            raise InvalidSettingError("language")
        for switch in ("sounds", "spoken_confirmation"):
            if not isinstance(getattr(self, switch), bool):
                raise InvalidSettingError(switch)


# A COM port, or a serial device under /dev: the pole display's port is never a plain file (pyserial would refuse it
# later, in the log; the owner hears it now). Each name under /dev starts with a letter, digit, _ or -: no "..",
# so /dev/../home/… cannot lead out of /dev.
_SERIAL_PORT = re.compile(r"(?i)COM[1-9]\d{0,2}|/dev(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+")


@dataclass(frozen=True)
class DisplaySettings:
    """What the customer sees: the second screen's window and the serial pole display (客显); both off until set."""
    customer_screen: str = ""  # the screen's name (QScreen.name()); "" or a screen not plugged in: no window
    pole_port: str = ""  # COM3, /dev/ttyUSB0; "": no pole display
    pole_baud: int = 9600

    def check(self) -> None:
        if len(self.customer_screen) > 200:
            raise InvalidSettingError("customer_screen")
        if self.pole_port and not _SERIAL_PORT.fullmatch(self.pole_port):
            raise InvalidSettingError("pole_port")
        if self.pole_baud not in BAUD_RATES:
            raise InvalidSettingError("pole_baud")


Section = TypeVar("Section", ShopSettings, DisplaySettings)


def load(conn: Connection, section: type[Section] = ShopSettings) -> Section:
    default = section()
    return section(**{f.name: settings.get(conn, f.name, getattr(default, f.name)) for f in fields(section)})


def save(store: Store, new: ShopSettings | DisplaySettings, *, staff_id: str, approver_id: str) -> list[str]:
    """Returns the names of the settings that changed (each settings page saves its own section)."""
    new.check()
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        old = asdict(load(conn, type(new)))
        changed = [k for k, v in asdict(new).items() if old[k] != v]
        for key in changed:
            settings.put(conn, key, getattr(new, key))
        if changed:
            audit.append(conn, "settings", staff_id=staff_id, approver_id=approver_id, detail={"changed": changed})
    return changed


def _check_pin(pin: str) -> None:
    try:
        staff.validate_pin(pin)
    except ValueError:
        raise InvalidSettingError("pin") from None


def add_staff(store: Store, *, name: str, role: str, pin: str, staff_id: str, approver_id: str) -> Staff:
    if not name.strip():
        raise InvalidSettingError("name")
    _check_pin(pin)
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        person = staff.create(conn, name.strip(), role, pin)
        audit.append(conn, "staff_add", staff_id=staff_id, approver_id=approver_id, subject=person.id,
                     detail={"name": person.name, "role": role})
    return person


def set_staff_active(store: Store, target_id: str, active: bool, *, staff_id: str, approver_id: str) -> None:
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        target = staff.get(conn, target_id)
        active_owners = [s for s in staff.list_all(conn) if s.is_owner]
        if not active and target.is_owner and [s.id for s in active_owners] == [target.id]:
            raise LastOwnerError()
        staff.set_active(conn, target_id, active)
        audit.append(conn, "staff_enable" if active else "staff_disable", staff_id=staff_id,
                     approver_id=approver_id, subject=target_id)


def reset_pin(store: Store, target_id: str, pin: str, *, staff_id: str, approver_id: str) -> None:
    _check_pin(pin)
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        staff.set_pin(conn, target_id, pin)
        audit.append(conn, "staff_pin_reset", staff_id=staff_id, approver_id=approver_id, subject=target_id)


def unpair(store: Store, *, staff_id: str, approver_id: str) -> None:
    """Forget the platform. Refused while orders wait: they belong to that platform's books."""
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        waiting = outbox.pending_count(conn)
        if waiting:
            raise UnsyncedOrdersError(waiting)
        url = sync_state.get(conn, "platform_url")
        sync_state.delete(conn, *PAIRING_KEYS)
        audit.append(conn, "unpair", staff_id=staff_id, approver_id=approver_id, detail={"platform_url": url})
    store.secrets.clear_terminal_secret()


def pair(store: Store, url: str, code: str, *, staff_id: str, approver_id: str) -> str:
    """Pair with a platform, or move to another one; returns the reseller's name.

    The old pairing stays until the new one succeeded, so a wrong code changes nothing."""
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        waiting = outbox.pending_count(conn) if sync_state.get(conn, "terminal_id") else 0
    if waiting:
        raise UnsyncedOrdersError(waiting)
    pairing = pair_store(store, url, code)
    with store.transaction() as conn:
        sync_state.set_cursor(conn, 0)  # a new terminal reads its platform's feed from the start
        audit.append(conn, "pair", staff_id=staff_id, approver_id=approver_id,
                     detail={"platform_url": url.rstrip("/"), "terminal_id": pairing.terminal_id})
    return pairing.reseller_name
