"""The desk's printer: how to reach it and its profile, kept in local_cache.settings under "printer"."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kameng_desk.printing.errors import PrinterSettingsError
from kameng_desk.printing.profiles import PrinterProfile
from local_cache import settings
from local_cache.connection import Connection

SETTINGS_KEY = "printer"
PRINTER_NAME = "default"  # one printer per desk; jobs queued before it is set up wait under this name
KINDS = ("network", "usb", "serial", "win32", "file")


@dataclass(frozen=True)
class ConnectionSettings:
    kind: str = "network"
    host: str = ""  # network
    port: int = 9100  # network
    usb_vendor: int = 0  # usb, e.g. 0x0416
    usb_product: int = 0  # usb, e.g. 0x5011
    device: str = ""  # serial: COM3 or /dev/ttyUSB0; file: a device node such as /dev/usb/lp0 or LPT1
    baudrate: int = 9600  # serial
    printer_name: str = ""  # win32: the spooler's printer name ("" = Windows default printer)
    timeout: float = 10.0  # seconds for connecting and sending

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise PrinterSettingsError("kind", kind=self.kind, kinds=", ".join(KINDS))
        if self.kind == "network" and (not self.host.strip() or not 0 < self.port < 65536):
            raise PrinterSettingsError("network")
        if self.kind == "usb" and not (0 < self.usb_vendor < 0x10000 and 0 < self.usb_product < 0x10000):
            raise PrinterSettingsError("usb")
        if self.kind in ("serial", "file") and not self.device.strip():
            raise PrinterSettingsError("device")
        if self.kind == "serial" and self.baudrate not in (9600, 19200, 38400, 57600, 115200):
            raise PrinterSettingsError("baud")
        if not 0.5 <= self.timeout <= 120:
            raise PrinterSettingsError("timeout")

    def describe(self) -> str:
        """Where the printer is, for messages (never a secret)."""
        return {"network": f"{self.host}:{self.port}", "usb": f"USB {self.usb_vendor:04x}:{self.usb_product:04x}",
                "serial": f"{self.device} ({self.baudrate} baud)", "win32": self.printer_name or "Windows default",
                "file": self.device}[self.kind]


@dataclass(frozen=True)
class PrinterConfig:
    connection: ConnectionSettings
    profile: PrinterProfile = field(default_factory=PrinterProfile)

    def to_dict(self) -> dict[str, Any]:
        return {"connection": asdict(self.connection), "profile": self.profile.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PrinterConfig:
        try:
            conn = {k: v for k, v in data["connection"].items() if k in ConnectionSettings.__dataclass_fields__}
            return cls(ConnectionSettings(**conn), PrinterProfile.from_dict(data.get("profile") or {}))
        except PrinterSettingsError:
            raise
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise PrinterSettingsError("damaged") from exc


def load(conn: Connection) -> PrinterConfig | None:
    raw = settings.get(conn, SETTINGS_KEY)
    return None if raw is None else PrinterConfig.from_dict(raw)
